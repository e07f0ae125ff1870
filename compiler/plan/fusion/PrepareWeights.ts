/**
 * PrepareWeights: computations that read only weights and constants (BEATs' weight norm and its
 * relative-position bias table, ...) move to the `prepare` stage, run once at load time; their
 * results are persistent buffers. Runs after FoldViews so views of weights stay free.
 */
import type { KernelGraph } from '../graph.js';
import type { FusionPass } from './pass.js';

export const PrepareWeights: FusionPass = {
  name: 'PrepareWeights',
  description: 'weight-only computations → load-time `prepare` kernels',
  run(g) {
    for (const k of g.kernels) {
      if (k.stage !== 'forward') continue;
      if (k.inputs.every((v) => isPersistent(g, v))) k.stage = 'prepare';
    }
  },
};

/** Weights, constants and what prepare kernels compute (through views). */
export function isPersistent(g: KernelGraph, value: number): boolean {
  const root = g.value(g.root(value));
  if (root.def.kind === 'weight' || root.def.kind === 'constant') return true;
  if (root.def.kind !== 'kernel') return false;
  return g.producer(root.id)?.stage === 'prepare';
}
