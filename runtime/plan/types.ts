/**
 * The shape of `plan.json` as the executor reads it: a structural mirror of the planner's contract
 * (compiler/plan/types.ts, `mimo-plan` version 1). The runtime never imports the compiler, so the
 * types are restated here; a plan object from `planModel` is assignable to `PlanJson` as it is,
 * and a parsed `plan.json` is checked by `parsePlan` before use.
 *
 * Only what execution needs is typed precisely; costs and summaries are carried as plain data.
 */

export const PLAN_FORMAT = 'mimo-plan';
export const PLAN_VERSION = 1;

export type PlanDType = 'float32' | 'float16' | 'bfloat16' | 'int32';

export type ActivationFn = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu' | 'sigmoid' | 'tanh';

export interface View {
  readonly shape: readonly number[];
  /** Elements, not bytes; 0 broadcasts. */
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface Operand {
  readonly buffer: number;
  /** The shape the kernel sees (row-major over the view's shape). */
  readonly shape: readonly number[];
  readonly view: View;
  readonly role: string;
}

export type BufferKind = 'input' | 'weight' | 'prepared' | 'constant' | 'kv_cache' | 'activation' | 'output';

export interface PlanBuffer {
  readonly id: number;
  readonly name: string;
  readonly kind: BufferKind;
  readonly dtype: PlanDType;
  readonly shape: readonly number[];
  readonly bytes: number;
  readonly offset?: number;
  /** Kernel index range `[first, last]` during which the buffer holds a live value (−1 = before the first kernel). */
  readonly live?: readonly [number, number];
  readonly inPlaceOf?: number;
  readonly weight?: string;
  readonly role?: string;
  readonly value?: number;
  readonly cache?: { readonly layer: number; readonly tensor: 'key' | 'value' };
}

/** One instruction of an elementwise program; instruction `i` defines register `i`, the last is the result. */
export type Instr =
  | { readonly op: 'load'; readonly input: number }
  | { readonly op: 'acc'; readonly part: number }
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div'; readonly a: number; readonly b: number }
  | { readonly op: 'activation'; readonly fn: ActivationFn; readonly a: number };

export type Program = readonly Instr[];

export type NormFn = 'layernorm' | 'rmsnorm';

export interface RopeParams {
  readonly positions: number;
  readonly theta: number;
  readonly rotaryDim: number;
  readonly headDim: number;
}

export interface MatmulOutput {
  readonly width: number;
  readonly program: Program;
  readonly rope: RopeParams | null;
}

export interface MatmulParams {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number;
  readonly prologue: { readonly fn: NormFn; readonly eps: number; readonly gamma: number; readonly beta: number | null } | null;
  readonly parts: readonly { readonly name: string; readonly start: number; readonly end: number }[];
  readonly outputs: readonly MatmulOutput[];
}

export interface ConvParams {
  readonly dims: 1 | 2;
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly groups: number;
  readonly bias: boolean;
  readonly program: Program;
}

export interface AttentionParams {
  readonly batch: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly group: number;
  readonly queries: number;
  readonly keys: number;
  readonly headDim: number;
  readonly valueDim: number;
  readonly scale: number;
  readonly blockSize: number;
  readonly bias: number | null;
  readonly causal: { readonly attentionMask: number; readonly negative: number; readonly queryOffset: number } | null;
}

export interface NormParams {
  readonly fn: NormFn;
  readonly eps: number;
  readonly rows: number;
  readonly width: number;
  readonly prologue: Program;
  readonly gamma: number;
  readonly beta: number | null;
  readonly writeSum: boolean;
}

export interface ElementwiseParams {
  readonly program: Program;
}

export interface ReduceParams {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
  readonly program: Program;
}

export interface ZipPlaceholder {
  readonly sense: string;
  readonly tokenId: number;
  readonly tokens: number;
}

export interface EmbedZipParams {
  readonly placeholders: readonly ZipPlaceholder[];
}

/** Attributes of the IR ops an `op` kernel may carry (compiler/ir/types.ts `OpAttrs`). */
export interface OpAttrs {
  readonly add: Record<string, never>;
  readonly sub: Record<string, never>;
  readonly mul: Record<string, never>;
  readonly div: Record<string, never>;
  readonly activation: { readonly fn: ActivationFn };
  readonly matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  readonly conv1d: { readonly stride: number; readonly padding: number; readonly groups: number };
  readonly conv2d: { readonly stride: readonly [number, number]; readonly padding: readonly [number, number]; readonly groups: number };
  readonly avg_pool2d: { readonly kernel: number; readonly stride: number };
  readonly layernorm: { readonly eps: number };
  readonly rmsnorm: { readonly eps: number };
  readonly weight_norm: { readonly dim: number };
  readonly softmax: { readonly axis: number };
  readonly reduce_sum: { readonly axes: readonly number[]; readonly keepDims: boolean };
  readonly reshape: Record<string, never>;
  readonly transpose: { readonly perm: readonly number[] };
  readonly broadcast_to: Record<string, never>;
  readonly concat: { readonly axis: number };
  readonly slice: { readonly axis: number; readonly start: number; readonly end: number };
  readonly repeat: { readonly axis: number; readonly times: number };
  readonly gather: Record<string, never>;
  readonly rope: { readonly theta: number; readonly rotaryDim: number };
  readonly causal_mask: { readonly negative: number };
  readonly rel_pos_buckets: { readonly length: number; readonly buckets: number; readonly maxDistance: number };
  readonly zip: { readonly placeholders: readonly ZipPlaceholder[] };
}

export type OpKind = keyof OpAttrs;

/** `op` kernel parameters: one IR op, its attributes. (The planner types `attrs` over every IR op; sources never reach a kernel.) */
export interface OpParams {
  readonly op: string;
  readonly attrs: unknown;
}

export interface KernelParamsByKind {
  readonly matmul: MatmulParams;
  readonly conv: ConvParams;
  readonly attention: AttentionParams;
  readonly norm: NormParams;
  readonly elementwise: ElementwiseParams;
  readonly reduce: ReduceParams;
  readonly embed_zip: EmbedZipParams;
  readonly op: OpParams;
}

export type KernelKind = keyof KernelParamsByKind;

export const KERNEL_KINDS: readonly KernelKind[] = ['matmul', 'conv', 'attention', 'norm', 'elementwise', 'reduce', 'embed_zip', 'op'];

export interface PlanKernelOf<K extends KernelKind> {
  readonly id: number;
  readonly kind: K;
  readonly class: string;
  readonly label: string;
  readonly scope: string;
  readonly inputs: readonly Operand[];
  readonly outputs: readonly Operand[];
  readonly params: KernelParamsByKind[K];
  readonly ir: readonly number[];
}

export type PlanKernel = { [K in KernelKind]: PlanKernelOf<K> }[KernelKind];

export interface PlanInput {
  readonly name: string;
  readonly role: string;
  readonly operand: Operand;
}

export interface PlanOutput {
  readonly name: string;
  readonly operand: Operand;
}

export interface PlanBindings {
  readonly batch: number;
  readonly text: number;
  readonly seq: number;
  readonly past: number;
  readonly queries: number;
}

export interface PlanJson {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  readonly model: string;
  readonly mode: 'prefill' | 'decode';
  readonly dtype: PlanDType;
  readonly bindings: PlanBindings;
  readonly target: string;
  readonly buffers: readonly PlanBuffer[];
  readonly inputs: readonly PlanInput[];
  readonly outputs: readonly PlanOutput[];
  readonly prepare: readonly PlanKernel[];
  readonly kernels: readonly PlanKernel[];
  readonly memory?: { readonly arenaBytes: number; readonly naiveBytes: number; readonly lowerBoundBytes: number };
  readonly summary?: { readonly kernels: number; readonly prepare_kernels: number; readonly ops_unfused: number };
}
