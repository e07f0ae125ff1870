/**
 * ElementwiseChains: the pointwise ops no earlier pass took become `elementwise` kernels, one per
 * chain: a producer whose only reader is the next pointwise op is evaluated inside it (its
 * value is recomputed per element where it broadcasts, never written). Last in the order, so it
 * never takes an op an epilogue or a norm could have had.
 */
import type { AnyKernel, KernelGraph } from '../graph.js';
import { ProgramBuilder, isPointwiseOpKernel } from '../program.js';
import type { FusionPass } from './pass.js';

export const ElementwiseChains: FusionPass = {
  name: 'ElementwiseChains',
  description: 'remaining elementwise/broadcast chains → one elementwise kernel each',
  run(g) {
    // Consumers first: each pointwise op that is not itself inlined into a later one roots a chain.
    const ops = g.kernels.filter((k) => isPointwiseOpKernel(k) && k.stage === 'forward');
    const taken = new Set<number>();
    for (const root of [...ops].reverse()) {
      if (taken.has(root.id)) continue;
      const inputs: number[] = [];
      const roles: string[] = [];
      const b = new ProgramBuilder(g, inputs, roles);
      const absorbed: AnyKernel[] = [root];
      const result = b.applyOp(root, -1, -1, (v) => emit(g, b, v, absorbed, taken));
      for (const k of absorbed) taken.add(k.id);
      const program = b.finish(result);
      g.removeKernels(absorbed.map((k) => k.id));
      g.addKernel<'elementwise'>({
        kind: 'elementwise',
        inputs,
        roles,
        outputs: [root.outputs[0]],
        params: { program },
        ir: absorbed.flatMap((k) => k.ir).sort((x, y) => x - y),
        scope: root.scope,
        label: 'elementwise',
        stage: 'forward',
        order: root.order,
      });
    }
  },
};

function emit(g: KernelGraph, b: ProgramBuilder, v: number, absorbed: AnyKernel[], taken: Set<number>): number {
  const value = g.value(v);
  if (value.def.kind === 'kernel' && g.uses(v) === 1) {
    const p = g.producer(v);
    if (p !== undefined && isPointwiseOpKernel(p) && p.stage === 'forward' && !taken.has(p.id)) {
      absorbed.push(p);
      return b.applyOp(p, -1, -1, (w) => emit(g, b, w, absorbed, taken));
    }
  }
  return b.load(v);
}
