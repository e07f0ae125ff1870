import { tf } from '../backend/tf.js';

/** `[B, T]` int32 position ids `offset, offset+1, …` for every row (no padding). */
export function positionIdsFrom(batch: number, length: number, offset = 0): tf.Tensor2D {
  return tf.tidy(() => tf.tile(tf.reshape(tf.range(offset, offset + length, 1, 'int32'), [1, length]), [batch, 1]) as tf.Tensor2D);
}

/**
 * Position ids from an HF attention mask `[B, T]` (1 keep, 0 pad), as HF's generation does for
 * left-padded batches: `cumsum(mask) - 1`, with padded slots set to 1 (they are masked anyway).
 */
export function positionIdsFromMask(attentionMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const mask = tf.cast(attentionMask, 'int32');
    const ids = tf.sub(tf.cumsum(mask, 1), 1);
    return tf.where(tf.equal(mask, 0), tf.onesLike(ids), ids) as tf.Tensor2D;
  });
}

/** Learned absolute positions (GPT-2 `wpe`, CLIP `position_embedding`): rows of `table` `[P, D]`. */
export function learnedPositions(table: tf.Tensor2D, positionIds: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const ids = positionIds.dtype === 'int32' ? positionIds : tf.cast(positionIds, 'int32');
    return tf.gather(table as tf.Tensor, ids) as tf.Tensor3D;
  });
}

/**
 * Whisper's sinusoidal table `[length, channels]` (openai/whisper `sinusoids`): the first half of
 * the channels are `sin(t·e^{-i·log(maxTimescale)/(channels/2-1)})`, the second half the cosines.
 * Computed in float64 and rounded once to float32; openai computes in float32, which differs by up
 * to ~1e-4 at t≈1500 (checkpoints ship the table as `embed_positions.weight`; load that for parity).
 */
export function sinusoidalPositions(length: number, channels: number, maxTimescale = 10000): tf.Tensor2D {
  if (channels % 2 !== 0 || channels < 4) throw new Error(`sinusoidalPositions: channels must be even and ≥ 4, got ${channels}`);
  const half = channels / 2;
  const increment = Math.log(maxTimescale) / (half - 1);
  const values = new Float32Array(length * channels);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const angle = t * Math.exp(-increment * i);
      values[t * channels + i] = Math.sin(angle);
      values[t * channels + half + i] = Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [length, channels], 'float32');
}
