/**
 * `matmul`: row by row. Each row of A is loaded once and, with a norm prologue, normalized in
 * place; output columns are computed in tiles whose accumulators (one per packed part the
 * program reads) stay local until the epilogue program has run; rotary pairs are rotated
 * within the row before the single write.
 */
import type { PlanKernelOf } from '../../types.js';
import { f32, ropeAngle } from '../math.js';
import { evalProgram } from '../program.js';
import type { Access, PlanStorage } from '../storage.js';
import { broadcastIndex, size } from '../tensor.js';

const TILE = 16;

export function runMatmul(k: PlanKernelOf<'matmul'>, s: PlanStorage): void {
  const p = k.params;
  const aOp = k.inputs[0];
  const bOp = k.inputs[1];
  const A = s.access(aOp);
  const B = s.access(bOp);
  const batchShape = k.outputs[0].shape.slice(0, -2);
  const batches = size(batchShape);
  const aBatch = broadcastIndex(aOp.shape.slice(0, -2), batchShape);
  const bBatch = broadcastIndex(bOp.shape.slice(0, -2), batchShape);
  const { m: M, n: N, k: K } = p;
  const gamma = p.prologue === null ? undefined : s.access(k.inputs[p.prologue.gamma]);
  const beta = p.prologue === null || p.prologue.beta === null ? undefined : s.access(k.inputs[p.prologue.beta]);
  const outputs = p.outputs.map((o, j) => {
    const operand = k.outputs[j];
    const loads = new Map<number, { a: Access; idx: Int32Array }>();
    for (const ins of o.program) if (ins.op === 'load' && !loads.has(ins.input)) loads.set(ins.input, { a: s.access(k.inputs[ins.input]), idx: broadcastIndex(k.inputs[ins.input].shape, operand.shape) });
    const parts = [...new Set(o.program.filter((i) => i.op === 'acc').map((i) => (i as { part: number }).part))];
    return { o, out: s.access(operand), loads, parts, positions: o.rope === null ? undefined : s.access(k.inputs[o.rope.positions]) };
  });
  const row = new Float64Array(K);
  const accs = new Float64Array(p.parts.length * TILE);
  for (let t = 0; t < batches; t++) {
    const aBase = aBatch[t] * M * K;
    const bBase = bBatch[t] * K * N;
    for (let m = 0; m < M; m++) {
      for (let q = 0; q < K; q++) row[q] = p.transposeA ? A.get(aBase + q * M + m) : A.get(aBase + m * K + q);
      if (p.prologue !== null) normalizeRow(row, p.prologue.fn, p.prologue.eps, gamma as Access, beta);
      for (const { o, out, loads, parts, positions } of outputs) {
        const values = new Float64Array(o.width);
        const regs = new Float64Array(o.program.length);
        for (let c0 = 0; c0 < o.width; c0 += TILE) {
          const c1 = Math.min(o.width, c0 + TILE);
          for (const part of parts) {
            const col0 = p.parts[part].start;
            for (let c = c0; c < c1; c++) {
              let acc = 0;
              const col = col0 + c;
              for (let q = 0; q < K; q++) {
                const bv = p.transposeB ? B.get(bBase + col * K + q) : B.get(bBase + q * N + col);
                acc = f32(acc + f32(row[q] * bv));
              }
              accs[part * TILE + (c - c0)] = acc;
            }
          }
          for (let c = c0; c < c1; c++) {
            const e = (t * M + m) * o.width + c;
            values[c] = evalProgram(o.program, regs, (i) => {
              const l = loads.get(i);
              return l === undefined ? Number.NaN : l.a.get(l.idx[e]);
            }, (part) => accs[part * TILE + (c - c0)]);
          }
        }
        if (o.rope !== null && positions !== undefined) rotateRow(values, positions.get(t * M + m), o.rope.headDim, o.rope.rotaryDim, o.rope.theta);
        for (let c = 0; c < o.width; c++) out.set((t * M + m) * o.width + c, values[c]);
      }
    }
  }
}

function normalizeRow(row: Float64Array, fn: 'layernorm' | 'rmsnorm', eps: number, gamma: Access, beta: Access | undefined): void {
  const n = row.length;
  if (fn === 'rmsnorm') {
    let ss = 0;
    for (let i = 0; i < n; i++) ss = f32(ss + f32(row[i] * row[i]));
    const inv = f32(1 / Math.sqrt(f32(f32(ss / n) + eps)));
    for (let i = 0; i < n; i++) row[i] = f32(f32(row[i] * inv) * gamma.get(i));
    return;
  }
  // Welford's running mean and variance: one pass over the row.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const delta = f32(row[i] - mean);
    mean = f32(mean + f32(delta / (i + 1)));
    m2 = f32(m2 + f32(delta * f32(row[i] - mean)));
  }
  const inv = f32(1 / Math.sqrt(f32(f32(m2 / n) + eps)));
  for (let i = 0; i < n; i++) row[i] = f32(f32(f32(f32(row[i] - mean) * inv) * gamma.get(i)) + (beta === undefined ? 0 : beta.get(i)));
}

/** HF rotate-half on each head of `headDim` columns, the first `rotaryDim` features. */
function rotateRow(values: Float64Array, pos: number, headDim: number, rotaryDim: number, theta: number): void {
  const half = rotaryDim / 2;
  for (let h = 0; h + headDim <= values.length; h += headDim) {
    for (let i = 0; i < half; i++) {
      const angle = ropeAngle(pos, i, rotaryDim, theta);
      const c = f32(Math.cos(angle));
      const sn = f32(Math.sin(angle));
      const x1 = values[h + i];
      const x2 = values[h + i + half];
      values[h + i] = f32(f32(x1 * c) - f32(x2 * sn));
      values[h + i + half] = f32(f32(x2 * c) + f32(x1 * sn));
    }
  }
}
