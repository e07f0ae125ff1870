import { tf } from '../backend/tf.js';
import { activation, type Activation } from '../layers/activation.js';
import { attention, type AttentionLowering } from '../layers/attention.js';
import { linear, type Linear } from '../layers/linear.js';
import { layerNorm, type LayerNormWeights } from '../layers/norm.js';
import type { EncoderLayerConfig } from './types.js';

/** The parts of a pre-LN encoder layer, whatever each checkpoint calls them. */
export interface PreLnEncoderParts {
  readonly attentionNorm: LayerNormWeights;
  readonly attention: { readonly q_proj: Linear; readonly k_proj: Linear; readonly v_proj: Linear; readonly out_proj: Linear };
  readonly mlpNorm: LayerNormWeights;
  readonly fc1: Linear;
  readonly fc2: Linear;
}

/**
 * The bidirectional pre-LN transformer layer of CLIP, SigLIP and Whisper encoders:
 * x + attn(LN1(x)), then + fc2(act(fc1(LN2(·)))). They differ only in weight names and activation.
 */
export function preLnEncoderLayer(
  x: tf.Tensor3D,
  p: PreLnEncoderParts,
  cfg: EncoderLayerConfig,
  act: Activation,
  attentionMask: tf.Tensor2D | undefined,
  lowering: AttentionLowering | undefined,
): tf.Tensor3D {
  return tf.tidy(() => {
    const heads = cfg.heads;
    const h = layerNorm(x, p.attentionNorm, cfg.normEps);
    const attended = attention(
      linear(h, p.attention.q_proj) as tf.Tensor3D,
      linear(h, p.attention.k_proj) as tf.Tensor3D,
      linear(h, p.attention.v_proj) as tf.Tensor3D,
      { heads, kvHeads: heads, headDim: cfg.hidden / heads, causal: false, attentionMask, lowering },
    );
    const afterAttention = tf.add(x, linear(attended, p.attention.out_proj));
    const m = linear(activation(linear(layerNorm(afterAttention, p.mlpNorm, cfg.normEps), p.fc1), act), p.fc2);
    return tf.add(afterAttention, m) as tf.Tensor3D;
  });
}
