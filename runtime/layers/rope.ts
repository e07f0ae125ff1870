import { tf } from '../backend/tf.js';

/** cos/sin tables `[B, T, headDim]` for HF LLaMA's rotate-half RoPE; compute once, share across layers. */
export interface RopeTables {
  readonly cos: tf.Tensor3D;
  readonly sin: tf.Tensor3D;
}

/**
 * HF `LlamaRotaryEmbedding` (default rope type): `inv_freq[i] = theta^(-2i/headDim)`, angles
 * `pos·inv_freq`, duplicated to the full head width (`cat(freqs, freqs)`).
 */
export function ropeTables(positionIds: tf.Tensor2D, headDim: number, theta: number): RopeTables {
  if (headDim % 2 !== 0) throw new Error(`ropeTables: headDim must be even, got ${headDim}`);
  return tf.tidy(() => {
    const half = headDim / 2;
    const invFreq = new Float32Array(half);
    for (let i = 0; i < half; i++) invFreq[i] = 1 / Math.pow(theta, (2 * i) / headDim);
    const [batch, length] = positionIds.shape;
    const pos = tf.reshape(tf.cast(positionIds, 'float32'), [batch, length, 1]);
    const freqs = tf.mul(pos, tf.tensor1d(invFreq));
    const angles = tf.concat([freqs, freqs], -1);
    return { cos: tf.cos(angles) as tf.Tensor3D, sin: tf.sin(angles) as tf.Tensor3D };
  });
}

/**
 * Rotates every head of `x` `[B, T, heads·headDim]`: `x·cos + rotate_half(x)·sin`, where
 * `rotate_half([x1, x2]) = [-x2, x1]` over each head's halves.
 */
export function applyRope(x: tf.Tensor3D, rope: RopeTables, heads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, width] = x.shape;
    const headDim = width / heads;
    const half = headDim / 2;
    const perHead = tf.reshape(x, [batch, length, heads, headDim]);
    const x1 = tf.slice(perHead, [0, 0, 0, 0], [batch, length, heads, half]);
    const x2 = tf.slice(perHead, [0, 0, 0, half], [batch, length, heads, half]);
    const rotated = tf.concat([tf.neg(x2), x1], -1);
    const cos = tf.reshape(rope.cos, [rope.cos.shape[0], length, 1, headDim]);
    const sin = tf.reshape(rope.sin, [rope.sin.shape[0], length, 1, headDim]);
    const out = tf.add(tf.mul(perHead, cos), tf.mul(rotated, sin));
    return tf.reshape(out, [batch, length, width]) as tf.Tensor3D;
  });
}
