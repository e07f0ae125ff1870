/** `op`: an unfused IR op, run by its definition on contiguous copies of its operands. */
import type { PlanKernelOf } from '../../types.js';
import { evalOp } from '../ops.js';
import type { PlanStorage } from '../storage.js';

export function runOp(k: PlanKernelOf<'op'>, s: PlanStorage): void {
  const inputs = k.inputs.map((o) => s.access(o).tensor());
  const result = evalOp(k.params.op, k.params.attrs as never, inputs, k.outputs[0].shape);
  s.write(k.outputs[0], result);
}
