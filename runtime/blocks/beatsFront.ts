import { tf } from '../backend/tf.js';
import { gelu } from '../layers/activation.js';
import { conv1d, weightNormFromHf, type Conv1dWeights } from '../layers/conv.js';
import { linear, type Linear } from '../layers/linear.js';
import { layerNorm, type LayerNormWeights } from '../layers/norm.js';
import { patchEmbedding, type PatchEmbeddingWeights } from '../layers/patch.js';
import { WeightReader, type WeightSource } from './weights.js';

/** BEATs' patch front (names at the checkpoint root): `patch_embedding`, `layer_norm`, `post_extract_proj`. */
export interface BeatsPatchFrontWeights {
  /** `patch_embedding.weight` `[embedDim, 1, p, p]`, no bias (`conv_bias` false). */
  readonly patch_embedding: PatchEmbeddingWeights;
  /** `layer_norm` over `embedDim`. */
  readonly layer_norm: LayerNormWeights;
  /** `post_extract_proj` `embedDim → hidden`; null when they are equal. */
  readonly post_extract_proj: Linear | null;
}

/** BEATs' convolutional positions (names under `encoder.`). */
export interface BeatsConvPositionsWeights {
  /** `pos_conv.0.{weight_g [1,1,k], weight_v [D, D/groups, k], bias}` folded into one conv weight. */
  readonly pos_conv: Conv1dWeights;
  /** `encoder.layer_norm`, applied right after the positions in post-LN models. */
  readonly layer_norm: LayerNormWeights;
}

/** Structurally satisfied by `BeatsEncoder`. */
export interface BeatsFrontConfig {
  readonly hidden: number;
  readonly patch: number;
  readonly embedDim: number;
  readonly convPosKernel: number;
  readonly convPosGroups: number;
  readonly normEps: number;
  readonly layerNormFirst?: boolean;
}

export function loadBeatsPatchFrontWeights(source: WeightSource, prefix: string, cfg: BeatsFrontConfig): BeatsPatchFrontWeights {
  const reader = new WeightReader(source, prefix);
  return {
    patch_embedding: reader.patchConv('patch_embedding', 1, cfg.embedDim, cfg.patch, false),
    layer_norm: reader.layerNorm('layer_norm', cfg.embedDim),
    post_extract_proj: cfg.embedDim === cfg.hidden ? null : reader.linear('post_extract_proj', cfg.embedDim, cfg.hidden, true),
  };
}

export function loadBeatsConvPositionsWeights(source: WeightSource, prefix: string, cfg: BeatsFrontConfig): BeatsConvPositionsWeights {
  const reader = new WeightReader(source, prefix);
  const k = cfg.convPosKernel;
  const d = cfg.hidden;
  const g = reader.borrow('pos_conv.0.weight_g', [1, 1, k]);
  const v = reader.borrow<tf.Rank.R3>('pos_conv.0.weight_v', [d, d / cfg.convPosGroups, k]);
  const weight = weightNormFromHf(g, v, 2);
  const bias = reader.vector('pos_conv.0.bias', d);
  const pos_conv: Conv1dWeights = { kernel: tf.tidy(() => tf.transpose(weight, [2, 1, 0]) as tf.Tensor3D), bias };
  weight.dispose();
  return { pos_conv, layer_norm: reader.layerNorm('layer_norm', d) };
}

/**
 * BEATs' feature front: `fbank` `[B, frames, melBins]` (already normalised) → 16×16 patches
 * (`[B, ⌊frames/p⌋·⌊mels/p⌋, embedDim]`, time-major) → LayerNorm → `post_extract_proj` → `[B, N, hidden]`.
 */
export function beatsPatchFront(fbank: tf.Tensor3D, w: BeatsPatchFrontWeights, cfg: Pick<BeatsFrontConfig, 'normEps'>): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, frames, mels] = fbank.shape;
    const patches = patchEmbedding(tf.reshape(fbank, [batch, 1, frames, mels]) as tf.Tensor4D, w.patch_embedding);
    const normed = layerNorm(patches, w.layer_norm, cfg.normEps);
    return (w.post_extract_proj === null ? normed : linear(normed, w.post_extract_proj)) as tf.Tensor3D;
  });
}

/**
 * BEATs `TransformerEncoder` before its layers: padded frames zeroed, then
 * `x + GELU(SamePad(groupedConv(x)))` (kernel k, padding k/2, the extra last frame dropped when k
 * is even), then `encoder.layer_norm` for post-LN models (`layerNormFirst` false, the default).
 */
export function beatsConvPositions(
  x: tf.Tensor3D,
  w: BeatsConvPositionsWeights,
  cfg: Pick<BeatsFrontConfig, 'convPosKernel' | 'convPosGroups' | 'normEps' | 'layerNormFirst'>,
  attentionMask?: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, width] = x.shape;
    const input = attentionMask === undefined ? x : (tf.mul(x, tf.reshape(tf.cast(attentionMask, 'float32'), [batch, length, 1])) as tf.Tensor3D);
    const k = cfg.convPosKernel;
    let conv = conv1d(input, w.pos_conv, { stride: 1, padding: Math.floor(k / 2), groups: cfg.convPosGroups });
    if (k % 2 === 0) conv = tf.slice(conv, [0, 0, 0], [batch, length, width]);
    const withPositions = tf.add(input, gelu(conv)) as tf.Tensor3D;
    return (cfg.layerNormFirst ?? false) ? withPositions : (layerNorm(withPositions, w.layer_norm, cfg.normEps) as tf.Tensor3D);
  });
}
