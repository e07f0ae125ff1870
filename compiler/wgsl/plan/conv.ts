/** Plan `conv` → the direct convolution generator with its epilogue. */
import type { PlanKernelOf } from '../../plan/types.js';
import { convKernel } from '../conv.js';
import type { LowerContext, Lowered } from './context.js';
import { compactLoads } from './operands.js';

export function lowerConv(k: PlanKernelOf<'conv'>, ctx: LowerContext): Lowered {
  const p = k.params;
  const { buffers } = ctx;
  const { programs, loads } = compactLoads(buffers, k.inputs, [p.program]);
  return [
    convKernel({
      label: k.label,
      x: buffers.arg(k.inputs[0]),
      w: buffers.arg(k.inputs[1]),
      ...(p.bias ? { bias: buffers.arg(k.inputs[2]) } : {}),
      out: buffers.arg(k.outputs[0]),
      stride: p.stride,
      padding: p.padding,
      groups: p.groups,
      program: programs[0],
      loads,
    }),
  ];
}
