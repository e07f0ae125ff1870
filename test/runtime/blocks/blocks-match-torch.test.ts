/**
 * Whole transformer blocks and encoder front ends, loaded through their HF-named loaders, agree
 * with PyTorch implementations written from the published architectures (HF GPT-2, LLaMA, CLIP,
 * SigLIP, Whisper; microsoft/unilm BEATs) within 1e-4 in fp32, on wasm, cpu and (with an adapter) webgpu.
 */
import {
  beatsConvPositions,
  beatsEncoderLayer,
  beatsPatchFront,
  beatsRelativePositionBias,
  clipEncoderLayer,
  clipVisionEmbeddings,
  gpt2Block,
  llamaBlock,
  loadBeatsConvPositionsWeights,
  loadBeatsEncoderLayerWeights,
  loadBeatsPatchFrontWeights,
  loadClipVisionEmbeddingsWeights,
  loadGpt2BlockWeights,
  loadLlamaBlockWeights,
  loadSiglipVisionEmbeddingsWeights,
  loadVitEncoderLayerWeights,
  loadWhisperConvFrontWeights,
  loadWhisperEncoderLayerWeights,
  ropeTables,
  siglipEncoderLayer,
  siglipVisionEmbeddings,
  tf,
  whisperConvFront,
  whisperEncoderLayer,
  type BeatsLayerConfig,
  type DecoderBlockConfig,
} from '../../../runtime/index.js';
import { SeededRandom } from '../../reference/random.js';
import { compareWithTorch, testBackends, type ComparedCase } from '../../reference/suite.js';
import { hostPositionIds, int32, normal, toSource, toTf, weightsFor } from '../../reference/tensors.js';

const rng = new SeededRandom(7);
const B = 2;
const cases: ComparedCase[] = [];

// ---- GPT-2 ----------------------------------------------------------------------------------------
{
  const D = 48;
  const ffn = 96;
  const T = 11;
  const cfg: DecoderBlockConfig & { ffn: number } = {
    hidden: D, heads: 4, kvHeads: 4, headDim: 12, ffn, norm: { eps: 1e-5 }, activation: 'gelu_tanh', position: { kind: 'learned' },
  };
  const w = weightsFor(rng, {
    'ln_1.weight': [D], 'ln_1.bias': [D], 'attn.c_attn.weight': [D, 3 * D], 'attn.c_attn.bias': [3 * D],
    'attn.c_proj.weight': [D, D], 'attn.c_proj.bias': [D], 'ln_2.weight': [D], 'ln_2.bias': [D],
    'mlp.c_fc.weight': [D, ffn], 'mlp.c_fc.bias': [ffn], 'mlp.c_proj.weight': [ffn, D], 'mlp.c_proj.bias': [D],
  });
  const x = normal(rng, [B, T, D]);
  const mask = int32([B, T], [...Array(T).fill(1), ...Array(T - 3).fill(1), 0, 0, 0]);
  cases.push({
    name: 'gpt2Block (causal, right padding)',
    op: 'gpt2_block',
    params: { heads: 4, eps: 1e-5, activation: 'gelu_tanh' },
    inputs: { x, attention_mask: mask, ...w },
    run: () => {
      const weights = loadGpt2BlockWeights(toSource(w), '', cfg);
      return gpt2Block(toTf(x) as tf.Tensor3D, weights, cfg, { attentionMask: toTf(mask) as tf.Tensor2D }).hidden;
    },
  });
}

// ---- LLaMA ----------------------------------------------------------------------------------------
{
  const D = 48;
  const heads = 6;
  const kvHeads = 2;
  const headDim = 8;
  const ffn = 80;
  const T = 13;
  const cfg: DecoderBlockConfig & { ffn: number } = {
    hidden: D, heads, kvHeads, headDim, ffn, norm: { eps: 1e-5 }, activation: 'silu', position: { kind: 'rope', theta: 10000 },
  };
  const w = weightsFor(rng, {
    'input_layernorm.weight': [D], 'self_attn.q_proj.weight': [heads * headDim, D], 'self_attn.k_proj.weight': [kvHeads * headDim, D],
    'self_attn.v_proj.weight': [kvHeads * headDim, D], 'self_attn.o_proj.weight': [D, heads * headDim], 'post_attention_layernorm.weight': [D],
    'mlp.gate_proj.weight': [ffn, D], 'mlp.up_proj.weight': [ffn, D], 'mlp.down_proj.weight': [D, ffn],
  });
  const x = normal(rng, [B, T, D]);
  const mask = int32([B, T], [...Array(T).fill(1), 0, 0, ...Array(T - 2).fill(1)]);
  const positions = hostPositionIds(mask);
  const inputs = { x, attention_mask: mask, position_ids: positions, ...w };
  const params = { heads, kv_heads: kvHeads, head_dim: headDim, eps: 1e-5, theta: 10000 };
  cases.push({
    name: 'llamaBlock (RoPE, GQA 6/2, causal, left padding)',
    op: 'llama_block',
    params,
    inputs,
    run: () => {
      const weights = loadLlamaBlockWeights(toSource(w), '', cfg);
      const rope = ropeTables(toTf(positions) as tf.Tensor2D, headDim, 10000);
      return llamaBlock(toTf(x) as tf.Tensor3D, weights, cfg, { attentionMask: toTf(mask) as tf.Tensor2D, rope }).hidden;
    },
  });
  cases.push({
    name: 'llamaBlock with a KV cache (10-token prefix, then 3 tokens) equals the full pass on real tokens',
    op: 'llama_block',
    params: { ...params, zero_pad_rows: true },
    inputs,
    run: () => {
      const weights = loadLlamaBlockWeights(toSource(w), '', cfg);
      const all = toTf(x) as tf.Tensor3D;
      const fullMask = toTf(mask) as tf.Tensor2D;
      const rope = ropeTables(toTf(positions) as tf.Tensor2D, headDim, 10000);
      const cut = (t: tf.Tensor3D, from: number, n: number): tf.Tensor3D => tf.slice(t, [0, from, 0], [B, n, t.shape[2]]);
      const first = llamaBlock(cut(all, 0, 10), weights, cfg, {
        attentionMask: tf.slice(fullMask, [0, 0], [B, 10]),
        rope: { cos: cut(rope.cos, 0, 10), sin: cut(rope.sin, 0, 10) },
      });
      const second = llamaBlock(cut(all, 10, 3), weights, cfg, {
        attentionMask: fullMask,
        past: first.present,
        rope: { cos: cut(rope.cos, 10, 3), sin: cut(rope.sin, 10, 3) },
      });
      // Padding rows differ by construction (see torch_reference.py): compare real tokens only.
      return tf.mul(tf.concat([first.hidden, second.hidden], 1), tf.expandDims(tf.cast(fullMask, 'float32'), 2));
    },
  });
}

// ---- CLIP and SigLIP ViT ----------------------------------------------------------------------------------
for (const family of ['clip', 'siglip'] as const) {
  const D = 40;
  const ffn = 72;
  const eps = family === 'clip' ? 1e-5 : 1e-6;
  const vit = { hidden: D, heads: 5, normEps: eps, ffn, patch: 7, imageSize: 21, channels: 3 };
  const w = weightsFor(rng, {
    'layer_norm1.weight': [D], 'layer_norm1.bias': [D], 'layer_norm2.weight': [D], 'layer_norm2.bias': [D],
    'self_attn.q_proj.weight': [D, D], 'self_attn.q_proj.bias': [D], 'self_attn.k_proj.weight': [D, D], 'self_attn.k_proj.bias': [D],
    'self_attn.v_proj.weight': [D, D], 'self_attn.v_proj.bias': [D], 'self_attn.out_proj.weight': [D, D], 'self_attn.out_proj.bias': [D],
    'mlp.fc1.weight': [ffn, D], 'mlp.fc1.bias': [ffn], 'mlp.fc2.weight': [D, ffn], 'mlp.fc2.bias': [D],
  });
  const tokens = family === 'clip' ? 10 : 9;
  const x = normal(rng, [B, tokens, D]);
  const act = family === 'clip' ? 'quick_gelu' : 'gelu_tanh';
  cases.push({
    name: `${family}EncoderLayer (pre-LN, ${act})`,
    op: 'vit_layer',
    params: { heads: 5, eps, activation: act },
    inputs: { x, ...w },
    run: () => {
      const weights = loadVitEncoderLayerWeights(toSource(w), '', vit);
      const layer = family === 'clip' ? clipEncoderLayer : siglipEncoderLayer;
      return layer(toTf(x) as tf.Tensor3D, weights, vit);
    },
  });
  const pixels = normal(rng, [B, 3, 21, 21]);
  const e = weightsFor(rng, {
    'patch_embedding.weight': [D, 3, 7, 7],
    ...(family === 'clip' ? { class_embedding: [D], 'position_embedding.weight': [10, D] } : { 'patch_embedding.bias': [D], 'position_embedding.weight': [9, D] }),
  });
  cases.push({
    name: `${family} vision embeddings (21×21 image, patch 7${family === 'clip' ? ', class token' : ''})`,
    op: 'vit_embeddings',
    params: {},
    inputs: { pixels, ...e },
    run: () => {
      const px = toTf(pixels) as tf.Tensor4D;
      return family === 'clip'
        ? clipVisionEmbeddings(px, loadClipVisionEmbeddingsWeights(toSource(e), '', vit))
        : siglipVisionEmbeddings(px, loadSiglipVisionEmbeddingsWeights(toSource(e), '', vit));
    },
  });
}

// ---- Whisper ----------------------------------------------------------------------------------------------
{
  const D = 32;
  const ffn = 64;
  const mels = 16;
  const cfg = { hidden: D, heads: 4, normEps: 1e-5, ffn, melBins: mels, positions: 9 };
  const w = weightsFor(rng, {
    'self_attn_layer_norm.weight': [D], 'self_attn_layer_norm.bias': [D], 'final_layer_norm.weight': [D], 'final_layer_norm.bias': [D],
    'self_attn.q_proj.weight': [D, D], 'self_attn.q_proj.bias': [D], 'self_attn.k_proj.weight': [D, D],
    'self_attn.v_proj.weight': [D, D], 'self_attn.v_proj.bias': [D], 'self_attn.out_proj.weight': [D, D], 'self_attn.out_proj.bias': [D],
    'fc1.weight': [ffn, D], 'fc1.bias': [ffn], 'fc2.weight': [D, ffn], 'fc2.bias': [D],
  });
  const x = normal(rng, [B, 7, D]);
  cases.push({
    name: 'whisperEncoderLayer (k_proj without bias)',
    op: 'whisper_layer',
    params: { heads: 4, eps: 1e-5 },
    inputs: { x, ...w },
    run: () => whisperEncoderLayer(toTf(x) as tf.Tensor3D, loadWhisperEncoderLayerWeights(toSource(w), '', cfg), cfg),
  });
  const features = normal(rng, [B, mels, 13]);
  const f = weightsFor(rng, {
    'conv1.weight': [D, mels, 3], 'conv1.bias': [D], 'conv2.weight': [D, D, 3], 'conv2.bias': [D], 'embed_positions.weight': [9, D],
  });
  cases.push({
    name: 'whisper conv front (13 frames → 7 positions)',
    op: 'whisper_front',
    params: {},
    inputs: { features, ...f },
    run: () => whisperConvFront(toTf(features) as tf.Tensor3D, loadWhisperConvFrontWeights(toSource(f), '', cfg)),
  });
}

// ---- BEATs ----------------------------------------------------------------------------------------------
{
  const D = 32;
  const heads = 4;
  const ffn = 64;
  const T = 13;
  const cfg: BeatsLayerConfig & { ffn: number } = { hidden: D, heads, normEps: 1e-5, ffn, layers: 12, relPosBuckets: 320, maxDistance: 1280 };
  const w = weightsFor(rng, {
    'self_attn.q_proj.weight': [D, D], 'self_attn.q_proj.bias': [D], 'self_attn.k_proj.weight': [D, D], 'self_attn.k_proj.bias': [D],
    'self_attn.v_proj.weight': [D, D], 'self_attn.v_proj.bias': [D], 'self_attn.out_proj.weight': [D, D], 'self_attn.out_proj.bias': [D],
    'self_attn.grep_linear.weight': [8, D / heads], 'self_attn.grep_linear.bias': [8],
    'self_attn_layer_norm.weight': [D], 'self_attn_layer_norm.bias': [D], 'final_layer_norm.weight': [D], 'final_layer_norm.bias': [D],
    'fc1.weight': [ffn, D], 'fc1.bias': [ffn], 'fc2.weight': [D, ffn], 'fc2.bias': [D],
  });
  w['self_attn.grep_a'] = normal(rng, [1, heads, 1, 1], 0.1, 1);
  const table = normal(rng, [320, heads]);
  const x = normal(rng, [B, T, D]);
  const mask = int32([B, T], [...Array(T).fill(1), ...Array(T - 4).fill(1), 0, 0, 0, 0]);
  cases.push({
    name: 'beatsEncoderLayer (post-LN deep norm, gated relative position bias, padding)',
    op: 'beats_layer',
    params: { heads, eps: 1e-5, layers: 12, deep_norm: true, buckets: 320, max_distance: 1280 },
    inputs: { x, attention_mask: mask, 'relative_attention_bias.weight': table, ...w },
    run: () => {
      const weights = loadBeatsEncoderLayerWeights(toSource(w), '', cfg);
      const bias = beatsRelativePositionBias(toTf(table) as tf.Tensor2D, T, T, cfg);
      return beatsEncoderLayer(toTf(x) as tf.Tensor3D, weights, cfg, bias, toTf(mask) as tf.Tensor2D);
    },
  });

  const front = { hidden: D, patch: 8, embedDim: 24, convPosKernel: 16, convPosGroups: 4, normEps: 1e-5 };
  const fbank = normal(rng, [B, 35, 32]);
  const f = weightsFor(rng, {
    'patch_embedding.weight': [24, 1, 8, 8], 'layer_norm.weight': [24], 'layer_norm.bias': [24],
    'post_extract_proj.weight': [D, 24], 'post_extract_proj.bias': [D],
    'encoder.pos_conv.0.weight_v': [D, D / 4, 16], 'encoder.pos_conv.0.bias': [D],
    'encoder.layer_norm.weight': [D], 'encoder.layer_norm.bias': [D],
  });
  f['encoder.pos_conv.0.weight_g'] = normal(rng, [1, 1, 16], 0.5, 1);
  cases.push({
    name: 'BEATs front: 8×8 patches, LayerNorm, projection, weight-normed grouped conv positions (even kernel)',
    op: 'beats_front',
    params: { patch: 8, eps: 1e-5, conv_pos: 16, conv_pos_groups: 4 },
    inputs: { fbank, ...f },
    run: () => {
      const source = toSource(f);
      const patches = beatsPatchFront(toTf(fbank) as tf.Tensor3D, loadBeatsPatchFrontWeights(source, '', front), front);
      return beatsConvPositions(patches, loadBeatsConvPositionsWeights(source, 'encoder.', front), front);
    },
  });
}

compareWithTorch('blocks', cases, await testBackends());
