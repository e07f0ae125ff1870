/** What a fusion pass is: a named rewrite of the kernel graph, driven by op categories. */
import type { KernelGraph } from '../graph.js';
import type { PlanMode } from '../types.js';

export interface PassContext {
  readonly mode: PlanMode;
  /** Keys per block of the flash attention loop. */
  readonly attentionBlockSize: number;
}

export interface FusionPass {
  /** File and class name, e.g. `MatmulEpilogue`. */
  readonly name: string;
  /** One line: what it fuses. */
  readonly description: string;
  /** Rewrites the graph in place; the driver normalizes (drops dead kernels, re-sorts) afterwards. */
  run(graph: KernelGraph, context: PassContext): void;
}
