/**
 * GatedEpilogue (SwiGLU / GeGLU): when a pointwise op combines two outputs of one packed matmul
 * — silu(gate) · up after PackSiblingMatmuls and MatmulEpilogue — the two outputs merge into one
 * whose program reads both accumulators, so the gate and up activations are never written.
 */
import type { AnyKernel, Kernel, KernelGraph } from '../graph.js';
import { ProgramBuilder, isPointwiseOpKernel } from '../program.js';
import type { FusionPass } from './pass.js';

export const GatedEpilogue: FusionPass = {
  name: 'GatedEpilogue',
  description: 'act(gate)·up over two packed outputs → one gated output (SwiGLU in the matmul)',
  run(g) {
    for (const e of [...g.kernels]) {
      if (!isPointwiseOpKernel(e) || e.inputs.length !== 2 || e.stage !== 'forward') continue;
      const [x, y] = e.inputs;
      const kernel = g.producer(x);
      if (kernel === undefined || kernel.kind !== 'matmul' || g.producer(y) !== kernel) continue;
      const i = kernel.outputs.indexOf(x);
      const j = kernel.outputs.indexOf(y);
      if (i === j || g.uses(x) !== 1 || g.uses(y) !== 1) continue;
      if (kernel.params.outputs[i].rope !== null || kernel.params.outputs[j].rope !== null) continue;
      const shape = g.value(e.outputs[0]).shape.join();
      if (g.value(x).shape.join() !== shape || g.value(y).shape.join() !== shape) continue;
      mergeOutputs(g, kernel, e, i, j);
    }
  },
};

function mergeOutputs(g: KernelGraph, kernel: Kernel<'matmul'>, e: AnyKernel, i: number, j: number): void {
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
  const outputs = keep.map((k) => (k === i ? eOut : kernel.outputs[k]));
  g.removeKernels([e.id]);
  g.setOutputs(kernel, outputs);
  g.setInputs(kernel, inputs, roles);
  kernel.ir = [...kernel.ir, ...e.ir].sort((a, b2) => a - b2);
}
