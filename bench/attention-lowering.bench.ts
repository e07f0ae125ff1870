/**
 * Per-head vs batched attention on tfjs-wasm (XNNPACK accelerates only unbatched, untransposed
 * matmuls; batched or transposed products fall back to a plain loop). Run:
 *   npx vitest bench --run bench/attention-lowering.bench.ts
 * Not a test: numbers depend on the machine; the report quotes them.
 */
import { bench, describe } from 'vitest';
import { attention, initBackend, tf } from '../runtime/index.js';

const shapes = [
  { label: 'T=256 H=8 dh=64 (decoder prefill)', t: 256, heads: 8, dh: 64 },
  { label: 'T=577 H=16 dh=64 (CLIP ViT-L/14-336 layer)', t: 577, heads: 16, dh: 64 },
];

// Top-level setup: vitest's bench mode does not run beforeAll hooks before the measured tasks.
await initBackend('wasm');

for (const s of shapes) {
  describe(`wasm attention ${s.label}`, () => {
    const q = tf.randomNormal([1, s.t, s.heads * s.dh], 0, 1, 'float32', 1) as tf.Tensor3D;
    const k = tf.randomNormal([1, s.t, s.heads * s.dh], 0, 1, 'float32', 2) as tf.Tensor3D;
    const v = tf.randomNormal([1, s.t, s.heads * s.dh], 0, 1, 'float32', 3) as tf.Tensor3D;
    for (const lowering of ['perHead', 'batched'] as const) {
      bench(
        lowering,
        async () => {
          const out = attention(q, k, v, { heads: s.heads, kvHeads: s.heads, headDim: s.dh, causal: true, lowering });
          await out.data();
          out.dispose();
        },
        { iterations: 5, time: 0, warmupIterations: 1 },
      );
    }
  });
}

describe('wasm matmul 577×64 · 64×577, 16 times', () => {
  const a = tf.randomNormal([16, 577, 64], 0, 1, 'float32', 4) as tf.Tensor3D;
  const b = tf.randomNormal([16, 64, 577], 0, 1, 'float32', 5) as tf.Tensor3D;
  const bT = tf.randomNormal([16, 577, 64], 0, 1, 'float32', 6) as tf.Tensor3D;
  const opts = { iterations: 5, time: 0, warmupIterations: 1 };
  bench('16 unbatched 2-D matMul (XNNPACK)', async () => {
    const as = tf.unstack(a) as tf.Tensor2D[];
    const bs = tf.unstack(b) as tf.Tensor2D[];
    const outs = as.map((x, i) => tf.matMul(x, bs[i]));
    await Promise.all(outs.map((o) => o.data()));
    tf.dispose([...as, ...bs, ...outs]);
  }, opts);
  bench('16 unbatched 2-D matMul with transposeB', async () => {
    const as = tf.unstack(a) as tf.Tensor2D[];
    const bs = tf.unstack(bT) as tf.Tensor2D[];
    const outs = as.map((x, i) => tf.matMul(x, bs[i], false, true));
    await Promise.all(outs.map((o) => o.data()));
    tf.dispose([...as, ...bs, ...outs]);
  }, opts);
  bench('one batched 3-D matMul [16,577,64]·[16,64,577]', async () => {
    const out = tf.matMul(a, b);
    await out.data();
    out.dispose();
  }, opts);
});
