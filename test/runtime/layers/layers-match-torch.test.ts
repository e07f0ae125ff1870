/**
 * Every ops-level layer agrees with PyTorch (torch.nn.functional) within 1e-4 in fp32, on the wasm
 * backend (per-head attention lowering), the cpu backend and webgpu where an adapter exists, on seeded random inputs of odd sizes.
 */
import {
  ACTIVATIONS,
  activation,
  attention,
  avgPoolGrid,
  beatsRelativeBucket,
  conv1d,
  conv1dFromHf,
  layerNorm,
  linear,
  linearFromHf,
  applyRope,
  mlpProjector,
  patchEmbedding,
  patchEmbeddingFromHf,
  rmsNorm,
  ropeTables,
  sinusoidalPositions,
  tf,
} from '../../../runtime/index.js';
import { SeededRandom } from '../../reference/random.js';
import { compareWithTorch, testBackends, type ComparedCase } from '../../reference/suite.js';
import { hostPositionIds, int32, normal, toTf, weightsFor } from '../../reference/tensors.js';

const rng = new SeededRandom(20240611);
const B = 2;
const T = 11;
const D = 48;

const x = normal(rng, [B, T, D], 2);
const cases: ComparedCase[] = [];

for (const kind of ACTIVATIONS) {
  const input = normal(rng, [3, 37], 3);
  cases.push({
    name: `activation ${kind}`,
    op: 'layer',
    params: { layer: 'activation', activation: kind },
    inputs: { x: input },
    run: () => activation(toTf(input), kind),
  });
}

{
  const w = weightsFor(rng, { 'norm.weight': [D], bias: [D] });
  cases.push({
    name: 'layerNorm',
    op: 'layer',
    params: { layer: 'layer_norm', eps: 1e-5 },
    inputs: { x, weight: w['norm.weight'], bias: w.bias },
    run: () => layerNorm(toTf(x), { weight: toTf(w['norm.weight']) as tf.Tensor1D, bias: toTf(w.bias) as tf.Tensor1D }, 1e-5),
  });
  cases.push({
    name: 'rmsNorm',
    op: 'layer',
    params: { layer: 'rms_norm', eps: 1e-6 },
    inputs: { x, weight: w['norm.weight'] },
    run: () => rmsNorm(toTf(x), { weight: toTf(w['norm.weight']) as tf.Tensor1D }, 1e-6),
  });
}

{
  const w = weightsFor(rng, { weight: [37, D], bias: [37] });
  cases.push({
    name: 'linear with bias (HF [out, in] weight)',
    op: 'layer',
    params: { layer: 'linear' },
    inputs: { x, weight: w.weight, bias: w.bias },
    run: () => linear(toTf(x), linearFromHf(toTf(w.weight) as tf.Tensor2D, toTf(w.bias) as tf.Tensor1D)),
  });
}

for (const [stride, groups, taps] of [
  [1, 1, 3],
  [2, 1, 3],
  [1, 4, 6],
] as const) {
  const input = normal(rng, [B, 13, 16]);
  const w = weightsFor(rng, { weight: [24, 16 / groups, taps], bias: [24] });
  const padding = groups === 1 ? 1 : taps / 2;
  cases.push({
    name: `conv1d stride ${stride} padding ${padding} groups ${groups} kernel ${taps}`,
    op: 'layer',
    params: { layer: 'conv1d', stride, padding, groups },
    inputs: { x: input, weight: w.weight, bias: w.bias },
    run: () => conv1d(toTf(input) as tf.Tensor3D, conv1dFromHf(toTf(w.weight) as tf.Tensor3D, toTf(w.bias) as tf.Tensor1D), { stride, padding, groups }),
  });
}

{
  const pixels = normal(rng, [B, 3, 21, 28]);
  const w = weightsFor(rng, { weight: [40, 3, 7, 7], bias: [40] });
  cases.push({
    name: 'patch embedding 7×7 over 21×28 (3×4 grid)',
    op: 'layer',
    params: { layer: 'patch_embedding' },
    inputs: { pixels, weight: w.weight, bias: w.bias },
    run: () => patchEmbedding(toTf(pixels) as tf.Tensor4D, patchEmbeddingFromHf(toTf(w.weight) as tf.Tensor4D, toTf(w.bias) as tf.Tensor1D)),
  });
}

{
  const grid = normal(rng, [B, 5 * 7, 12]);
  cases.push({
    name: 'average pooling of a 5×7 grid, stride 2',
    op: 'layer',
    params: { layer: 'avg_pool_grid', height: 5, width: 7, stride: 2 },
    inputs: { x: grid },
    run: () => avgPoolGrid(toTf(grid) as tf.Tensor3D, { height: 5, width: 7 }, 2),
  });
}

cases.push({
  name: "Whisper's sinusoidal table 1500×64",
  op: 'sinusoids',
  params: { length: 1500, channels: 64 },
  inputs: {},
  run: () => sinusoidalPositions(1500, 64),
});

{
  const heads = 3;
  const input = normal(rng, [B, T, heads * 16]);
  const mask = int32([B, T], [...Array(T).fill(1), 0, 0, 0, ...Array(T - 3).fill(1)]);
  const positionIds = hostPositionIds(mask);
  cases.push({
    name: 'RoPE (rotate-half) at mask-derived positions',
    op: 'layer',
    params: { layer: 'rope', heads, theta: 10000 },
    inputs: { x: input, position_ids: positionIds },
    run: () => applyRope(toTf(input) as tf.Tensor3D, ropeTables(toTf(positionIds) as tf.Tensor2D, 16, 10000), heads),
  });
}

for (const lowering of ['perHead', 'batched'] as const) {
  const heads = 6;
  const kvHeads = 2;
  const dh = 8;
  const q = normal(rng, [B, 9, heads * dh]);
  const k = normal(rng, [B, 9, kvHeads * dh]);
  const v = normal(rng, [B, 9, kvHeads * dh]);
  const mask = int32([B, 9], [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  cases.push({
    name: `attention ${lowering}: causal, left+right padding, GQA 6/2 (fully masked rows uniform)`,
    op: 'layer',
    params: { layer: 'attention', heads, kv_heads: kvHeads, causal: true },
    inputs: { q, k, v, attention_mask: mask },
    run: () =>
      attention(toTf(q) as tf.Tensor3D, toTf(k) as tf.Tensor3D, toTf(v) as tf.Tensor3D, {
        heads,
        kvHeads,
        headDim: dh,
        causal: true,
        attentionMask: toTf(mask) as tf.Tensor2D,
        lowering,
      }),
  });
  const bias = normal(rng, [B, heads, 9, 9]);
  const qShort = normal(rng, [B, 3, heads * dh]);
  cases.push({
    name: `attention ${lowering}: 3 queries over 9 cached keys (causal offset) + additive bias`,
    op: 'layer',
    params: { layer: 'attention', heads, kv_heads: kvHeads, causal: true },
    inputs: { q: qShort, k, v, bias: { shape: [B, heads, 3, 9], data: bias.data.slice(0, B * heads * 27) } },
    run: () =>
      attention(toTf(qShort) as tf.Tensor3D, toTf(k) as tf.Tensor3D, toTf(v) as tf.Tensor3D, {
        heads,
        kvHeads,
        headDim: dh,
        causal: true,
        bias: tf.tensor4d(bias.data.slice(0, B * heads * 27), [B, heads, 3, 9]),
        lowering,
      }),
  });
}

{
  const input = normal(rng, [B, 7, 40]);
  const w = weightsFor(rng, { 'linear_1.weight': [56, 40], 'linear_1.bias': [56], 'linear_2.weight': [56, 56], 'linear_2.bias': [56], 'linear_3.weight': [32, 56], 'linear_3.bias': [32] });
  cases.push({
    name: 'mlp projector depth 3, gelu',
    op: 'layer',
    params: { layer: 'mlp_projector', depth: 3, activation: 'gelu' },
    inputs: { x: input, ...w },
    run: () =>
      mlpProjector(
        toTf(input),
        { linears: [1, 2, 3].map((i) => linearFromHf(toTf(w[`linear_${i}.weight`]) as tf.Tensor2D, toTf(w[`linear_${i}.bias`]) as tf.Tensor1D)) },
        'gelu',
      ),
  });
}

{
  const span = 1600;
  cases.push({
    name: 'BEATs relative-position buckets over distances −1600…1600 (320 buckets, max 1280)',
    op: 'beats_buckets',
    params: { span, buckets: 320, max_distance: 1280 },
    inputs: {},
    run: () => tf.tensor1d(Array.from({ length: 2 * span + 1 }, (_, i) => beatsRelativeBucket(i - span, 320, 1280))),
  });
}

compareWithTorch('layers', cases, await testBackends());
