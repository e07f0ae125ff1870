/** Plan `norm` → the row-norm generator with its prologue and optional sum output. */
import type { PlanKernelOf } from '../../plan/types.js';
import { normKernel } from '../norm.js';
import type { LowerContext, Lowered } from './context.js';
import { compactLoads } from './operands.js';

export function lowerNorm(k: PlanKernelOf<'norm'>, ctx: LowerContext): Lowered {
  const p = k.params;
  const { buffers } = ctx;
  const { programs, loads } = compactLoads(buffers, k.inputs, [p.prologue]);
  return [
    normKernel({
      label: k.label,
      fn: p.fn,
      eps: p.eps,
      out: buffers.arg(k.outputs[0]),
      ...(p.writeSum ? { sum: buffers.arg(k.outputs[1]) } : {}),
      loads,
      prologue: programs[0],
      gamma: buffers.arg(k.inputs[p.gamma]),
      ...(p.beta === null ? {} : { beta: buffers.arg(k.inputs[p.beta]) }),
    }),
  ];
}
