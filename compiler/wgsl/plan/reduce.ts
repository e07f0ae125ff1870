/** Plan `reduce` → the reduction generator (input 0 is reduced; the epilogue loads the others). */
import type { PlanKernelOf } from '../../plan/types.js';
import { reduceKernel } from '../reduce.js';
import type { LowerContext, Lowered } from './context.js';
import { compactLoads } from './operands.js';

export function lowerReduce(k: PlanKernelOf<'reduce'>, ctx: LowerContext): Lowered {
  const { programs, loads } = compactLoads(ctx.buffers, k.inputs, [k.params.program]);
  return [
    reduceKernel({ label: k.label, input: ctx.buffers.arg(k.inputs[0]), axes: k.params.axes, keepDims: k.params.keepDims, out: ctx.buffers.arg(k.outputs[0]), program: programs[0], loads }),
  ];
}
