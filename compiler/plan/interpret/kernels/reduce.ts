/** `reduce`: each result element sums its slice of the input, then runs the epilogue program. */
import type { PlanKernelOf } from '../../types.js';
import { f32 } from '../math.js';
import { evalProgram } from '../program.js';
import type { PlanStorage } from '../storage.js';
import { broadcastIndex, size } from '../tensor.js';

export function runReduce(k: PlanKernelOf<'reduce'>, s: PlanStorage): void {
  const x = s.access(k.inputs[0]);
  const inShape = k.inputs[0].shape;
  const outShape = k.outputs[0].shape;
  const kept = inShape.map((d, i) => (k.params.axes.includes(i) ? 1 : d));
  // Which result each input element adds into.
  const target = broadcastIndex(kept, inShape);
  const sums = new Float64Array(size(outShape));
  for (let e = 0; e < target.length; e++) sums[target[e]] = f32(sums[target[e]] + x.get(e));
  const out = s.access(k.outputs[0]);
  // Operand 0 is the reduced tensor; only the epilogue's loads are read at the result's index.
  const loads = k.inputs.map((o, i) => (i === 0 ? undefined : { a: s.access(o), idx: broadcastIndex(o.shape, outShape) }));
  const regs = new Float64Array(k.params.program.length);
  for (let r = 0; r < sums.length; r++) out.set(r, evalProgram(k.params.program, regs, (i) => {
          const l = loads[i];
          return l === undefined ? Number.NaN : l.a.get(l.idx[r]);
        }, () => sums[r]));
}
