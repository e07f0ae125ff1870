/**
 * GatedEpilogue (SwiGLU / GeGLU): when a pointwise op combines two outputs of one packed matmul
 * — silu(gate) · up after PackSiblingMatmuls and MatmulEpilogue — the two outputs merge into one
 * whose program reads both accumulators, so the gate and up activations are never written.
 */
import type { AnyKernel, Kernel } from '../graph.js';
import { ProgramBuilder, isPointwiseOpKernel } from '../program.js';
import type { FusionPass } from './pass.js';

export const GatedEpilogue: FusionPass = {
  name: 'GatedEpilogue',
  description: 'act(gate)·up over two packed outputs → one gated output (SwiGLU in the matmul)',
  run(g) {
    for (const kernel of g.kernels) {
      if (kernel.kind !== 'matmul') continue;
      let merged = true;
      while (merged) {
        merged = false;
        for (const e of g.kernels) {
          if (!isPointwiseOpKernel(e) || e.inputs.length !== 2 || e.stage !== 'forward') continue;
          const [x, y] = e.inputs;
          const i = kernel.outputs.indexOf(x);
          const j = kernel.outputs.indexOf(y);
          if (i < 0 || j < 0 || i === j) continue;
          if (g.uses(x) !== 1 || g.uses(y) !== 1) continue;
          if (kernel.params.outputs[i].rope !== null || kernel.params.outputs[j].rope !== null) continue;
          const shape = g.value(e.outputs[0]).shape;
          if (![x, y].every((v) => g.value(v).shape.join() === shape.join())) continue;
          mergeOutputs(g, kernel, e, i, j);
          merged = true;
          break;
        }
      }
    }
  },
};

function mergeOutputs(g: Parameters<FusionPass['run']>[0], kernel: Kernel<'matmul'>, e: AnyKernel, i: number, j: number): void {
  const inputs = [...kernel.inputs];
  const roles = [...kernel.roles];
  const b = new ProgramBuilder(g, inputs, roles);
  const outs = kernel.params.outputs;
  const ri = b.inline(outs[i].program, kernel.inputs, (part) => b.acc(part));
  const rj = b.inline(outs[j].program, kernel.inputs, (part) => b.acc(part));
  const [x, y] = [kernel.outputs[i], kernel.outputs[j]];
  const result = b.applyOp(e, -1, -1, (v) => (v === x ? ri : v === y ? rj : undefined));
  const program = b.finish(result);
  const eOut = e.outputs[0];
  const keep = outs.map((_, k) => k).filter((k) => k !== j);
  kernel.params = {
    ...kernel.params,
    outputs: keep.map((k) => (k === i ? { width: outs[i].width, program, rope: null } : outs[k])),
  };
  kernel.outputs = keep.map((k) => (k === i ? eOut : kernel.outputs[k]));
  kernel.inputs = inputs;
  kernel.roles = roles;
  g.value(eOut).def = { kind: 'kernel', kernel: kernel.id };
  kernel.ir = [...kernel.ir, ...e.ir].sort((a, b2) => a - b2);
  g.removeKernels([e.id]);
}
