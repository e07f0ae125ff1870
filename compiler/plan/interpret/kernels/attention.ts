/**
 * `attention`: a flash loop. Each query row keeps a running maximum, a running sum of
 * exponentials and an unnormalized output; key blocks of `blockSize` are scored, the running
 * values rescaled by exp(old max − new max) and accumulated, and the row is divided by the sum
 * once at the end. The score matrix never exists. Rows of a causal mask stop at the diagonal
 * unless they see no key at all (then they visit every key, as the additive mask defines).
 */
import type { PlanKernelOf } from '../../types.js';
import { f32 } from '../math.js';
import type { Access, PlanStorage } from '../storage.js';
import { broadcastIndex } from '../tensor.js';

export function runAttention(k: PlanKernelOf<'attention'>, s: PlanStorage): void {
  const p = k.params;
  const q = s.access(k.inputs[0]);
  const kk = s.access(k.inputs[1]);
  const v = s.access(k.inputs[2]);
  const out = s.access(k.outputs[0]);
  const { batch, heads, kvHeads, group, queries, keys, headDim: d, valueDim: dv, blockSize } = p;
  const scoresShape = [batch, heads, queries, keys];
  const bias: { a: Access; idx: Int32Array } | undefined = p.bias === null ? undefined : { a: s.access(k.inputs[p.bias]), idx: broadcastIndex(k.inputs[p.bias].shape, scoresShape) };
  const mask = p.causal === null ? undefined : s.access(k.inputs[p.causal.attentionMask]);
  const scale = f32(p.scale);
  const scores = new Float64Array(blockSize);
  const acc = new Float64Array(dv);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const kvh = Math.floor(h / group);
      for (let i = 0; i < queries; i++) {
        const qBase = ((b * heads + h) * queries + i) * d;
        let end = keys;
        if (p.causal !== null && mask !== undefined) {
          const diagonal = Math.min(keys, i + p.causal.queryOffset + 1);
          let visible = 0;
          for (let j = 0; j < diagonal; j++) if (mask.get(b * keys + j) !== 0) visible++;
          if (visible > 0) end = diagonal;
        }
        let max = -Infinity;
        let sum = 0;
        acc.fill(0);
        for (let j0 = 0; j0 < end; j0 += blockSize) {
          const j1 = Math.min(end, j0 + blockSize);
          let blockMax = -Infinity;
          for (let j = j0; j < j1; j++) {
            const kBase = ((b * kvHeads + kvh) * keys + j) * d;
            let dot = 0;
            for (let c = 0; c < d; c++) dot = f32(dot + f32(q.get(qBase + c) * kk.get(kBase + c)));
            let score = f32(dot * scale);
            if (bias !== undefined) score = f32(score + bias.a.get(bias.idx[((b * heads + h) * queries + i) * keys + j]));
            if (mask !== undefined && p.causal !== null) {
              const allowed = j <= i + p.causal.queryOffset && mask.get(b * keys + j) !== 0;
              score = f32(score + (allowed ? 0 : p.causal.negative));
            }
            scores[j - j0] = score;
            blockMax = Math.max(blockMax, score);
          }
          const newMax = Math.max(max, blockMax);
          const correction = max === -Infinity ? 0 : f32(Math.exp(f32(max - newMax)));
          sum = f32(sum * correction);
          for (let c = 0; c < dv; c++) acc[c] = f32(acc[c] * correction);
          for (let j = j0; j < j1; j++) {
            const e = f32(Math.exp(f32(scores[j - j0] - newMax)));
            sum = f32(sum + e);
            const vBase = ((b * kvHeads + kvh) * keys + j) * dv;
            for (let c = 0; c < dv; c++) acc[c] = f32(acc[c] + f32(e * v.get(vBase + c)));
          }
          max = newMax;
        }
        const oBase = ((b * heads + h) * queries + i) * dv;
        for (let c = 0; c < dv; c++) out.set(oBase + c, f32(acc[c] / sum));
      }
    }
  }
}
