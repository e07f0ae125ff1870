import { tf } from '../backend/tf.js';
import { activation } from '../layers/activation.js';
import { attention, type AttentionLowering } from '../layers/attention.js';
import { linear, type Linear } from '../layers/linear.js';
import { layerNorm, type LayerNormWeights } from '../layers/norm.js';
import type { EncoderLayerConfig } from './types.js';
import { WeightReader, type WeightSource } from './weights.js';

/**
 * BEATs encoder settings (microsoft/unilm `beats/BEATs.py` `BEATsConfig`). The published
 * checkpoints (iter3, iter3+) use post-LN with deep norm and gated relative positions.
 */
export interface BeatsLayerConfig extends EncoderLayerConfig {
  readonly layers: number;
  readonly relPosBuckets: number;
  readonly maxDistance: number;
  /** `deep_norm`: residuals scaled by (2·layers)^¼ (post-LN only). Default true. */
  readonly deepNorm?: boolean;
  /** `gru_rel_pos`: per-query gate on the relative position bias. Default true. */
  readonly gatedRelPos?: boolean;
  /** `layer_norm_first`: pre-LN instead of post-LN. Default false. */
  readonly layerNormFirst?: boolean;
}

/** BEATs `TransformerSentenceEncoderLayer` parameters (names under `encoder.layers.{i}.`). */
export interface BeatsEncoderLayerWeights {
  readonly self_attn: {
    readonly q_proj: Linear;
    readonly k_proj: Linear;
    readonly v_proj: Linear;
    readonly out_proj: Linear;
    /** `grep_linear` `[8, headDim]` → kernel `[headDim, 8]`; null when `gatedRelPos` is off. */
    readonly grep_linear: Linear | null;
    /** `grep_a` `[1, heads, 1, 1]`, kept as `[heads]`. */
    readonly grep_a: tf.Tensor1D | null;
  };
  readonly self_attn_layer_norm: LayerNormWeights;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly final_layer_norm: LayerNormWeights;
}

export function loadBeatsEncoderLayerWeights(
  source: WeightSource,
  prefix: string,
  cfg: BeatsLayerConfig & { readonly ffn: number },
): BeatsEncoderLayerWeights {
  const reader = new WeightReader(source, prefix);
  const d = cfg.hidden;
  const headDim = d / cfg.heads;
  const gated = cfg.gatedRelPos ?? true;
  return {
    self_attn: {
      q_proj: reader.linear('self_attn.q_proj', d, d, true),
      k_proj: reader.linear('self_attn.k_proj', d, d, true),
      v_proj: reader.linear('self_attn.v_proj', d, d, true),
      out_proj: reader.linear('self_attn.out_proj', d, d, true),
      grep_linear: gated ? reader.linear('self_attn.grep_linear', headDim, 8, true) : null,
      grep_a: gated ? (tf.reshape(reader.borrow('self_attn.grep_a', [1, cfg.heads, 1, 1]), [cfg.heads]) as tf.Tensor1D) : null,
    },
    self_attn_layer_norm: reader.layerNorm('self_attn_layer_norm', d),
    fc1: reader.linear('fc1', d, cfg.ffn, true),
    fc2: reader.linear('fc2', cfg.ffn, d, true),
    final_layer_norm: reader.layerNorm('final_layer_norm', d),
  };
}

/**
 * The bucket of each relative position `key - query` (BEATs/T5 bidirectional bucketing): half the
 * buckets per sign; distances below `buckets/4` exact, the rest log-spaced up to `maxDistance`.
 * The log step is evaluated in float32 (`Math.fround` per operation) as torch does, so boundary
 * distances land in the same bucket.
 */
export function beatsRelativeBucket(relative: number, buckets: number, maxDistance: number): number {
  const half = Math.floor(buckets / 2);
  const signOffset = relative > 0 ? half : 0;
  const distance = Math.abs(relative);
  const maxExact = Math.floor(half / 2);
  if (distance < maxExact) return signOffset + distance;
  const f = Math.fround;
  const ratio = f(distance / maxExact);
  const scaled = f(f(f(Math.log(ratio)) / f(Math.log(maxDistance / maxExact))) * (half - maxExact));
  const large = maxExact + Math.trunc(scaled);
  return signOffset + Math.min(large, half - 1);
}

/**
 * The shared (ungated) relative position bias `[heads, Tq, Tk]` from layer 0's
 * `self_attn.relative_attention_bias.weight` `[buckets, heads]` (BEATs computes it once, in the first
 * layer, and passes it on to every layer).
 */
export function beatsRelativePositionBias(
  table: tf.Tensor2D,
  queryLength: number,
  keyLength: number,
  cfg: Pick<BeatsLayerConfig, 'relPosBuckets' | 'maxDistance'>,
): tf.Tensor3D {
  const [buckets, heads] = table.shape;
  if (buckets !== cfg.relPosBuckets) throw new Error(`beatsRelativePositionBias: table has ${buckets} buckets, config says ${cfg.relPosBuckets}`);
  const ids = new Int32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) {
    for (let j = 0; j < keyLength; j++) ids[i * keyLength + j] = beatsRelativeBucket(j - i, cfg.relPosBuckets, cfg.maxDistance);
  }
  return tf.tidy(() => {
    const rows = tf.gather(table, tf.tensor1d(ids, 'int32'));
    return tf.transpose(tf.reshape(rows, [queryLength, keyLength, heads]), [2, 0, 1]) as tf.Tensor3D;
  });
}

/**
 * BEATs' gate per (batch, head, query): from the unscaled projected query `q` `[B, T, H·dh]`,
 * `grep_linear` → `[.., 2, 4]` summed → sigmoid → (a, b); gate = a·(b·grep_a − 1) + 2.
 * Returns the gated bias `[B, H, T, Tk]` = gate · positionBias.
 */
function gatedBias(q: tf.Tensor3D, positionBias: tf.Tensor3D, w: BeatsEncoderLayerWeights['self_attn'], heads: number): tf.Tensor4D {
  const [batch, length, width] = q.shape;
  const headDim = width / heads;
  if (w.grep_linear === null || w.grep_a === null) {
    return tf.tile(tf.reshape(positionBias, [1, heads, length, positionBias.shape[2]]), [batch, 1, 1, 1]) as tf.Tensor4D;
  }
  const perHead = tf.reshape(q, [batch, length, heads, headDim]);
  const logits = tf.sum(tf.reshape(linear(perHead, w.grep_linear), [batch, length, heads, 2, 4]), -1);
  const gates = tf.sigmoid(logits);
  const [a, b] = tf.split(gates, 2, -1).map((g) => tf.reshape(g, [batch, length, heads]));
  const gate = tf.add(tf.mul(a, tf.sub(tf.mul(b, w.grep_a), 1)), 2);
  const gateBHT1 = tf.reshape(tf.transpose(gate, [0, 2, 1]), [batch, heads, length, 1]);
  return tf.mul(gateBHT1, tf.reshape(positionBias, [1, heads, length, positionBias.shape[2]])) as tf.Tensor4D;
}

/**
 * One BEATs encoder layer (microsoft/unilm `beats/backbone.py` `TransformerSentenceEncoderLayer`
 * with its `MultiheadAttention`). Default (published checkpoints): post-LN with deep norm,
 * `x = LN(α·x + attn(x))`, `x = LN(α·x + fc2(gelu(fc1(x))))`, α = (2·layers)^¼, and softmax over
 * `q·kᵀ/√dh + gate·positionBias`. `positionBias` `[H, T, T]` from `beatsRelativePositionBias`
 * (null: no relative positions). `attentionMask` `[B, T]`, 1 = frame, 0 = padding.
 *
 * Deviation, numerically immaterial: BEATs computes scores as `(q/(√dh·32))·kᵀ`, subtracts the row
 * maximum and multiplies by 32 (a stability trick); softmax is shift-invariant, so we compute the
 * plain scaled scores.
 */
export function beatsEncoderLayer(
  x: tf.Tensor3D,
  w: BeatsEncoderLayerWeights,
  cfg: BeatsLayerConfig,
  positionBias: tf.Tensor3D | null,
  attentionMask?: tf.Tensor2D,
  lowering?: AttentionLowering,
): tf.Tensor3D {
  return tf.tidy(() => {
    const heads = cfg.heads;
    const headDim = cfg.hidden / heads;
    const preLn = cfg.layerNormFirst ?? false;
    const alpha = !preLn && (cfg.deepNorm ?? true) ? Math.pow(2 * cfg.layers, 0.25) : 1;
    const attend = (input: tf.Tensor3D): tf.Tensor3D => {
      const q = linear(input, w.self_attn.q_proj) as tf.Tensor3D;
      const bias = positionBias === null ? undefined : gatedBias(q, positionBias, w.self_attn, heads);
      const attended = attention(q, linear(input, w.self_attn.k_proj) as tf.Tensor3D, linear(input, w.self_attn.v_proj) as tf.Tensor3D, {
        heads,
        kvHeads: heads,
        headDim,
        causal: false,
        attentionMask,
        bias,
        lowering,
      });
      return linear(attended, w.self_attn.out_proj) as tf.Tensor3D;
    };
    const mlp = (input: tf.Tensor): tf.Tensor => linear(activation(linear(input, w.fc1), cfg.activation ?? 'gelu'), w.fc2);
    if (preLn) {
      const afterAttention = tf.add(x, attend(layerNorm(x, w.self_attn_layer_norm, cfg.normEps) as tf.Tensor3D));
      return tf.add(afterAttention, mlp(layerNorm(afterAttention, w.final_layer_norm, cfg.normEps))) as tf.Tensor3D;
    }
    const afterAttention = layerNorm(tf.add(tf.mul(x, alpha), attend(x)), w.self_attn_layer_norm, cfg.normEps);
    return layerNorm(tf.add(tf.mul(afterAttention, alpha), mlp(afterAttention)), w.final_layer_norm, cfg.normEps) as tf.Tensor3D;
  });
}
