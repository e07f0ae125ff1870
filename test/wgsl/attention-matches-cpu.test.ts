/**
 * Flash-style attention against the plain definition (scores, additive mask, softmax, weighted
 * sum) in float64: grouped-query heads (3 query heads over 1 kv head), causal + left padding
 * (including a row that sees no key), a query offset (decode over a cache), an additive bias,
 * q read through a transposed view of a `[B, T, H·D]` projection, both the vec4 and scalar paths,
 * and key counts that are not block multiples.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { attentionKernel } from '../../compiler/wgsl/attention.js';
import type { TensorArg } from '../../compiler/wgsl/types.js';
import { arg, logical, randomFloats, relError, releaseGpu, runOne } from './harness.js';

afterAll(releaseGpu);

interface Case {
  b: number;
  h: number;
  kv: number;
  sq: number;
  sk: number;
  d: number;
  dv: number;
  causal?: { mask: number[][]; offset: number; negative: number };
  bias?: boolean;
  keyBlock?: number;
  queryTile?: number;
  /** q stored as [B, Sq, H*D] (a projection's output) and read transposed. */
  qFromProjection?: boolean;
}

function reference(c: Case, q: Float64Array, k: Float64Array, v: Float64Array, bias: Float64Array | undefined, scale: number): Float64Array {
  const out = new Float64Array(c.b * c.h * c.sq * c.dv);
  const group = c.h / c.kv;
  for (let b = 0; b < c.b; b++)
    for (let h = 0; h < c.h; h++)
      for (let i = 0; i < c.sq; i++) {
        const kvh = Math.floor(h / group);
        const s = new Float64Array(c.sk);
        for (let j = 0; j < c.sk; j++) {
          let dot = 0;
          for (let e = 0; e < c.d; e++) dot += q[((b * c.h + h) * c.sq + i) * c.d + e] * k[((b * c.kv + kvh) * c.sk + j) * c.d + e];
          s[j] = dot * scale;
          if (bias) s[j] += bias[((b * c.h + h) * c.sq + i) * c.sk + j];
          if (c.causal && !(j <= i + c.causal.offset && c.causal.mask[b][j] !== 0)) s[j] += Math.fround(c.causal.negative);
        }
        // float32 rounding of the masked score, as the kernel adds the mask in float32
        const m = Math.max(...s.map((x) => Math.fround(x)));
        const p = s.map((x) => Math.exp(Math.fround(x) - m));
        const z = p.reduce((a, x) => a + x, 0);
        for (let e = 0; e < c.dv; e++) {
          let acc = 0;
          for (let j = 0; j < c.sk; j++) acc += (p[j] / z) * v[((b * c.kv + kvh) * c.sk + j) * c.dv + e];
          out[((b * c.h + h) * c.sq + i) * c.dv + e] = acc;
        }
      }
  return out;
}

async function check(c: Case, seed: number): Promise<void> {
  const scale = 1 / Math.sqrt(c.d);
  const qData = randomFloats(c.b * c.h * c.sq * c.d, seed, 2);
  const kData = randomFloats(c.b * c.kv * c.sk * c.d, seed + 1, 2);
  const vData = randomFloats(c.b * c.kv * c.sk * c.dv, seed + 2);
  const biasData = c.bias ? randomFloats(c.h * c.sq * c.sk, seed + 3) : undefined;
  const qArg: TensorArg = c.qFromProjection
    ? arg(0, [c.b, c.h, c.sq, c.d], { view: { shape: [c.b, c.h, c.sq, c.d], strides: [c.sq * c.h * c.d, c.d, c.h * c.d, 1] } })
    : arg(0, [c.b, c.h, c.sq, c.d]);
  const maskData = c.causal ? Int32Array.from(c.causal.mask.flat()) : undefined;
  const out = arg(9, [c.b, c.h, c.sq, c.dv]);
  const kernel = attentionKernel({
    q: qArg,
    k: arg(1, [c.b, c.kv, c.sk, c.d]),
    v: arg(2, [c.b, c.kv, c.sk, c.dv]),
    out,
    scale,
    ...(c.bias ? { bias: arg(3, [1, c.h, c.sq, c.sk]) } : {}),
    ...(c.causal ? { causal: { attentionMask: arg(4, [c.b, c.sk], { dtype: 'i32' }), negative: c.causal.negative, queryOffset: c.causal.offset } } : {}),
    ...(c.keyBlock ? { keyBlock: c.keyBlock } : {}),
    ...(c.queryTile ? { queryTile: c.queryTile } : {}),
  });
  const inputs = [
    { id: 0, data: qData },
    { id: 1, data: kData },
    { id: 2, data: vData },
    ...(biasData ? [{ id: 3, data: biasData }] : []),
    ...(maskData ? [{ id: 4, data: maskData }] : []),
  ];
  const [got] = await runOne(kernel, inputs, [{ arg: out, words: c.b * c.h * c.sq * c.dv }]);
  const q = logical(qData, qArg);
  const bias = biasData ? Float64Array.from({ length: c.b * c.h * c.sq * c.sk }, (_, i) => biasData[i % (c.h * c.sq * c.sk)]) : undefined;
  const ref = reference(c, q, Float64Array.from(kData), Float64Array.from(vData), bias, scale);
  expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
}

describe('attention kernel', () => {
  it('causal with left padding and a blind row, GQA heads 3 / kv 1, odd lengths, vec4 path, small key blocks', { timeout: 180_000 }, async () => {
    const mask = [
      [0, 0, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1, 1],
    ];
    await check({ b: 2, h: 3, kv: 1, sq: 7, sk: 7, d: 8, dv: 8, causal: { mask, offset: 0, negative: -3.4028234663852886e38 }, keyBlock: 3, queryTile: 4, qFromProjection: true }, 100);
  });

  it('decode step: one query at offset past over past + 1 keys, padding inside the cache, scalar path (head dim 6)', { timeout: 180_000 }, async () => {
    const mask = [[1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]];
    await check({ b: 1, h: 4, kv: 2, sq: 1, sk: 13, d: 6, dv: 6, causal: { mask, offset: 12, negative: -1e9 } }, 200);
  });

  it('bidirectional with an additive bias broadcast over the batch, value dim ≠ key dim, many key blocks', { timeout: 180_000 }, async () => {
    await check({ b: 2, h: 2, kv: 2, sq: 5, sk: 29, d: 4, dv: 12, bias: true, keyBlock: 4 }, 300);
  });

  it('prefill chunk: queries 9 at offset 4 over 13 keys (causal, no padding), default tiles', { timeout: 180_000 }, async () => {
    await check({ b: 1, h: 3, kv: 3, sq: 9, sk: 13, d: 16, dv: 16, causal: { mask: [new Array<number>(13).fill(1)], offset: 4, negative: -1e9 } }, 400);
  });
});
