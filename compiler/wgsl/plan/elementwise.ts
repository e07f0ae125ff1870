/** Plan `elementwise` → the elementwise generator. */
import type { PlanKernelOf } from '../../plan/types.js';
import { elementwiseKernel } from '../elementwise.js';
import type { LowerContext, Lowered } from './context.js';
import { compactLoads } from './operands.js';

export function lowerElementwise(k: PlanKernelOf<'elementwise'>, ctx: LowerContext): Lowered {
  const { programs, loads } = compactLoads(ctx.buffers, k.inputs, [k.params.program]);
  return [elementwiseKernel({ label: k.label, out: ctx.buffers.arg(k.outputs[0]), loads, program: programs[0] })];
}
