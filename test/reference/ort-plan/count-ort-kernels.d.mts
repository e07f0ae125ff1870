/** Types of count-ort-kernels.mjs (a plain script so that bench/plan.mjs can run it without a build). */
export interface Field {
  readonly field: number;
  readonly wire: number;
  readonly value: number | Uint8Array;
}
export interface NodeCounts {
  readonly nodes: number;
  readonly ops: Readonly<Record<string, number>>;
}
export function readFields(bytes: Uint8Array): Field[];
export function nodeOpTypes(modelBytes: Uint8Array): string[];
export function histogram(ops: readonly string[]): Record<string, number>;
export function optimizeAndCount(modelPath: string): Promise<{ before: NodeCounts; after: NodeCounts }>;
