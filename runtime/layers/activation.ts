import { tf } from '../backend/tf.js';

/** Same names as `compiler/model/types.ts` (Hugging Face's `hidden_act` spellings, normalised). */
export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu';

export const ACTIVATIONS: readonly Activation[] = ['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu'];

/**
 * Exact GELU, `0.5·x·(1 + erf(x/√2))` (torch's default, HF `gelu`). tfjs has no fused erf-GELU, so
 * this is composed from the backend's `erf` kernel (never the tanh approximation).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Tanh-approximated GELU (HF `gelu_new` / `gelu_pytorch_tanh`; GPT-2 and SigLIP). */
// x·x·x rather than pow(x, 3): WGSL's pow is undefined for negative bases.
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}

/** CLIP's `x·sigmoid(1.702·x)`. */
export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))));
}

export function relu(x: tf.Tensor): tf.Tensor {
  return tf.relu(x);
}

/** SiLU / swish, `x·sigmoid(x)` (LLaMA's SwiGLU gate). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

export function activation(x: tf.Tensor, kind: Activation): tf.Tensor {
  switch (kind) {
    case 'gelu':
      return gelu(x);
    case 'gelu_tanh':
      return geluTanh(x);
    case 'quick_gelu':
      return quickGelu(x);
    case 'relu':
      return relu(x);
    case 'silu':
      return silu(x);
    default: {
      const unknown: string = kind;
      throw new Error(`unknown activation '${unknown}': expected one of ${ACTIVATIONS.join(', ')}`);
    }
  }
}
