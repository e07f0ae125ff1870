import { tf } from '../backend/tf.js';

/** A prepared patch embedding (a conv with stride = kernel): `kernel` `[p, p, C, out]`, `bias` `[out]`. */
export interface PatchEmbeddingWeights {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D | null;
}

/** From HF `nn.Conv2d` tensors: `weight` `[out, C, p, p]` (copied to tfjs's `[p, p, C, out]`). */
export function patchEmbeddingFromHf(weight: tf.Tensor4D, bias: tf.Tensor1D | null = null): PatchEmbeddingWeights {
  if (weight.rank !== 4 || weight.shape[2] !== weight.shape[3]) {
    throw new Error(`patchEmbeddingFromHf: weight must be [out, C, p, p], got [${weight.shape.join(', ')}]`);
  }
  return { kernel: tf.transpose(weight, [2, 3, 1, 0]), bias };
}

/**
 * Non-overlapping patches of `pixels` `[B, C, H, W]` (HF `pixel_values`, channels first) →
 * `[B, gh·gw, out]`, patches in row-major grid order (HF's `flatten(2).transpose(1, 2)`).
 * Sizes that are not multiples of the patch drop the remainder, as torch's conv does.
 */
export function patchEmbedding(pixels: tf.Tensor4D, w: PatchEmbeddingWeights): tf.Tensor3D {
  const [patch, , channels, outWidth] = w.kernel.shape;
  if (pixels.shape[1] !== channels) {
    throw new Error(`patchEmbedding: pixels [${pixels.shape.join(', ')}] have ${pixels.shape[1]} channels, the kernel expects ${channels} (layout [B, C, H, W])`);
  }
  return tf.tidy(() => {
    const nhwc = tf.transpose(pixels, [0, 2, 3, 1]);
    let out: tf.Tensor4D = tf.conv2d(nhwc, w.kernel, patch, 'valid');
    if (w.bias !== null) out = tf.add(out, w.bias);
    const [batch, gridH, gridW] = out.shape;
    return tf.reshape(out, [batch, gridH * gridW, outWidth]) as tf.Tensor3D;
  });
}
