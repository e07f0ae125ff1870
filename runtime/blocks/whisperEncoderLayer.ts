import type { tf } from '../backend/tf.js';
import type { AttentionLowering } from '../layers/attention.js';
import type { Linear } from '../layers/linear.js';
import type { LayerNormWeights } from '../layers/norm.js';
import { preLnEncoderLayer } from './preLnEncoderLayer.js';
import type { EncoderLayerConfig } from './types.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `WhisperEncoderLayer` parameters (names under `model.encoder.layers.{i}.`); `k_proj` has no bias. */
export interface WhisperEncoderLayerWeights {
  readonly self_attn_layer_norm: LayerNormWeights;
  readonly self_attn: { readonly q_proj: Linear; readonly k_proj: Linear; readonly v_proj: Linear; readonly out_proj: Linear };
  readonly final_layer_norm: LayerNormWeights;
  readonly fc1: Linear;
  readonly fc2: Linear;
}

export function loadWhisperEncoderLayerWeights(
  source: WeightSource,
  prefix: string,
  cfg: EncoderLayerConfig & { readonly ffn: number },
): WhisperEncoderLayerWeights {
  const reader = new WeightReader(source, prefix);
  const d = cfg.hidden;
  return {
    self_attn_layer_norm: reader.layerNorm('self_attn_layer_norm', d),
    self_attn: {
      q_proj: reader.linear('self_attn.q_proj', d, d, true),
      k_proj: reader.linear('self_attn.k_proj', d, d, false),
      v_proj: reader.linear('self_attn.v_proj', d, d, true),
      out_proj: reader.linear('self_attn.out_proj', d, d, true),
    },
    final_layer_norm: reader.layerNorm('final_layer_norm', d),
    fc1: reader.linear('fc1', d, cfg.ffn, true),
    fc2: reader.linear('fc2', cfg.ffn, d, true),
  };
}

/** HF `WhisperEncoderLayer`: pre-LN bidirectional self-attention, pre-LN GELU (exact) MLP. */
export function whisperEncoderLayer(
  x: tf.Tensor3D,
  w: WhisperEncoderLayerWeights,
  cfg: EncoderLayerConfig,
  attentionMask?: tf.Tensor2D,
  lowering?: AttentionLowering,
): tf.Tensor3D {
  const parts = { attentionNorm: w.self_attn_layer_norm, attention: w.self_attn, mlpNorm: w.final_layer_norm, fc1: w.fc1, fc2: w.fc2 };
  return preLnEncoderLayer(x, parts, cfg, cfg.activation ?? 'gelu', attentionMask, lowering);
}
