/** `elementwise`: one pass over the output, every operand read through broadcasting and its view. */
import type { PlanKernelOf } from '../../types.js';
import { evalProgram } from '../program.js';
import type { PlanStorage } from '../storage.js';
import { broadcastIndex, size } from '../tensor.js';

export function runElementwise(k: PlanKernelOf<'elementwise'>, s: PlanStorage): void {
  const out = s.access(k.outputs[0]);
  const shape = k.outputs[0].shape;
  const inputs = k.inputs.map((o) => ({ a: s.access(o), idx: broadcastIndex(o.shape, shape) }));
  const regs = new Float64Array(k.params.program.length);
  const n = size(shape);
  for (let e = 0; e < n; e++) {
    out.set(e, evalProgram(k.params.program, regs, (i) => inputs[i].a.get(inputs[i].idx[e]), () => Number.NaN));
  }
}
