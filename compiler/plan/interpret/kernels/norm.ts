/**
 * `norm`: one row at a time. The prologue program builds the row (a residual add, say) into a
 * local buffer, the statistics come from that buffer (LayerNorm by Welford's one-pass mean and
 * variance), then the normalized row and, when asked, the row itself are written.
 */
import type { PlanKernelOf } from '../../types.js';
import { f32 } from '../math.js';
import { evalProgram } from '../program.js';
import type { PlanStorage } from '../storage.js';
import { broadcastIndex } from '../tensor.js';

export function runNorm(k: PlanKernelOf<'norm'>, s: PlanStorage): void {
  const p = k.params;
  const shape = k.outputs[0].shape;
  const loads = new Map<number, { get: (i: number) => number; idx: Int32Array }>();
  for (const ins of p.prologue) if (ins.op === 'load' && !loads.has(ins.input)) loads.set(ins.input, { get: s.access(k.inputs[ins.input]).get, idx: broadcastIndex(k.inputs[ins.input].shape, shape) });
  const gamma = s.access(k.inputs[p.gamma]);
  const beta = p.beta === null ? undefined : s.access(k.inputs[p.beta]);
  const normed = s.access(k.outputs[0]);
  const sum = p.writeSum ? s.access(k.outputs[1]) : undefined;
  const row = new Float64Array(p.width);
  const regs = new Float64Array(p.prologue.length);
  for (let r = 0; r < p.rows; r++) {
    for (let c = 0; c < p.width; c++) {
      const e = r * p.width + c;
      row[c] = evalProgram(p.prologue, regs, (i) => {
        const l = loads.get(i);
        return l === undefined ? Number.NaN : l.get(l.idx[e]);
      }, () => Number.NaN);
    }
    let inv: number;
    let mean = 0;
    if (p.fn === 'rmsnorm') {
      let ss = 0;
      for (let c = 0; c < p.width; c++) ss = f32(ss + f32(row[c] * row[c]));
      inv = f32(1 / Math.sqrt(f32(f32(ss / p.width) + p.eps)));
    } else {
      let m2 = 0;
      for (let c = 0; c < p.width; c++) {
        const delta = f32(row[c] - mean);
        mean = f32(mean + f32(delta / (c + 1)));
        m2 = f32(m2 + f32(delta * f32(row[c] - mean)));
      }
      inv = f32(1 / Math.sqrt(f32(f32(m2 / p.width) + p.eps)));
    }
    for (let c = 0; c < p.width; c++) {
      const e = r * p.width + c;
      const y = p.fn === 'rmsnorm' ? f32(f32(row[c] * inv) * gamma.get(c)) : f32(f32(f32(f32(row[c] - mean) * inv) * gamma.get(c)) + (beta === undefined ? 0 : beta.get(c)));
      if (sum !== undefined) sum.set(e, row[c]);
      normed.set(e, y);
    }
  }
}
