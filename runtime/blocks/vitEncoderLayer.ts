import type { tf } from '../backend/tf.js';
import type { Activation } from '../layers/activation.js';
import type { AttentionLowering } from '../layers/attention.js';
import type { Linear } from '../layers/linear.js';
import type { LayerNormWeights } from '../layers/norm.js';
import { preLnEncoderLayer } from './preLnEncoderLayer.js';
import type { EncoderLayerConfig } from './types.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `CLIPEncoderLayer` / `SiglipEncoderLayer` parameters (names under `vision_model.encoder.layers.{i}.`). */
export interface VitEncoderLayerWeights {
  readonly layer_norm1: LayerNormWeights;
  readonly self_attn: { readonly q_proj: Linear; readonly k_proj: Linear; readonly v_proj: Linear; readonly out_proj: Linear };
  readonly layer_norm2: LayerNormWeights;
  readonly mlp: { readonly fc1: Linear; readonly fc2: Linear };
}

export function loadVitEncoderLayerWeights(source: WeightSource, prefix: string, cfg: EncoderLayerConfig & { readonly ffn: number }): VitEncoderLayerWeights {
  const reader = new WeightReader(source, prefix);
  const d = cfg.hidden;
  return {
    layer_norm1: reader.layerNorm('layer_norm1', d),
    self_attn: {
      q_proj: reader.linear('self_attn.q_proj', d, d, true),
      k_proj: reader.linear('self_attn.k_proj', d, d, true),
      v_proj: reader.linear('self_attn.v_proj', d, d, true),
      out_proj: reader.linear('self_attn.out_proj', d, d, true),
    },
    layer_norm2: reader.layerNorm('layer_norm2', d),
    mlp: { fc1: reader.linear('mlp.fc1', d, cfg.ffn, true), fc2: reader.linear('mlp.fc2', cfg.ffn, d, true) },
  };
}

/** The pre-LN ViT layer shared by CLIP and SigLIP (they differ only in the MLP activation). */
function vitEncoderLayer(
  x: tf.Tensor3D,
  w: VitEncoderLayerWeights,
  cfg: EncoderLayerConfig,
  act: Activation,
  attentionMask: tf.Tensor2D | undefined,
  lowering: AttentionLowering | undefined,
): tf.Tensor3D {
  const parts = { attentionNorm: w.layer_norm1, attention: w.self_attn, mlpNorm: w.layer_norm2, fc1: w.mlp.fc1, fc2: w.mlp.fc2 };
  return preLnEncoderLayer(x, parts, cfg, act, attentionMask, lowering);
}

/** HF `CLIPEncoderLayer`: pre-LN, biases everywhere, quick-GELU (unless `cfg.activation` says otherwise). */
export function clipEncoderLayer(
  x: tf.Tensor3D,
  w: VitEncoderLayerWeights,
  cfg: EncoderLayerConfig,
  attentionMask?: tf.Tensor2D,
  lowering?: AttentionLowering,
): tf.Tensor3D {
  return vitEncoderLayer(x, w, cfg, cfg.activation ?? 'quick_gelu', attentionMask, lowering);
}

/** HF `SiglipEncoderLayer`: as CLIP's with tanh-GELU (`gelu_pytorch_tanh`). */
export function siglipEncoderLayer(
  x: tf.Tensor3D,
  w: VitEncoderLayerWeights,
  cfg: EncoderLayerConfig,
  attentionMask?: tf.Tensor2D,
  lowering?: AttentionLowering,
): tf.Tensor3D {
  return vitEncoderLayer(x, w, cfg, cfg.activation ?? 'gelu_tanh', attentionMask, lowering);
}
