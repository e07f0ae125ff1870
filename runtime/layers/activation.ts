import { tf } from '../backend/tf.js';

/** Same names as `compiler/model/types.ts` (Hugging Face's `hidden_act` spellings, normalised). */
export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu';

export const ACTIVATIONS: readonly Activation[] = ['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu'];

/**
 * `f(t)`, then `t` disposed: composed activations free each intermediate as soon as the next one
 * exists, so they peak at the input plus two of its size (a tidy alone would hold all of them
 * until the end: eight for the tanh GELU, on a [tokens, ffn] tensor).
 */
function consume(t: tf.Tensor, f: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  const next = f(t);
  t.dispose();
  return next;
}

/**
 * Exact GELU, `0.5·x·(1 + erf(x/√2))` (torch's default, HF `gelu`). tfjs has no fused erf-GELU, so
 * this is composed from the backend's `erf` kernel (never the tanh approximation).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let u = consume(tf.mul(x, Math.SQRT1_2), (t) => tf.erf(t));
    u = consume(u, (t) => tf.add(t, 1));
    return consume(u, (t) => consume(tf.mul(x, 0.5), (half) => tf.mul(half, t)));
  });
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Tanh-approximated GELU (HF `gelu_new` / `gelu_pytorch_tanh`; GPT-2 and SigLIP). */
// x·x·x rather than pow(x, 3): WGSL's pow is undefined for negative bases.
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let u = consume(tf.mul(x, x), (t) => tf.mul(t, x));
    u = consume(u, (t) => tf.mul(t, 0.044715));
    u = consume(u, (t) => tf.add(x, t));
    u = consume(u, (t) => tf.mul(t, SQRT_2_OVER_PI));
    u = consume(u, (t) => tf.tanh(t));
    u = consume(u, (t) => tf.add(t, 1));
    return consume(u, (t) => consume(tf.mul(x, 0.5), (half) => tf.mul(half, t)));
  });
}

/** CLIP's `x·sigmoid(1.702·x)`. */
export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => consume(consume(tf.mul(x, 1.702), (t) => tf.sigmoid(t)), (s) => tf.mul(x, s)));
}

export function relu(x: tf.Tensor): tf.Tensor {
  return tf.relu(x);
}

/** SiLU / swish, `x·sigmoid(x)` (LLaMA's SwiGLU gate). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => consume(tf.sigmoid(x), (s) => tf.mul(x, s)));
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
