import { tf } from '../backend/tf.js';

/**
 * Average pooling of a patch grid (LLaVA-NeXT-Video's per-frame pooling): `x` `[B, gh·gw, D]` in
 * row-major grid order → `[B, ⌊gh/s⌋·⌊gw/s⌋, D]`, window = stride = `s` (torch `avg_pool2d`, floor).
 */
export function avgPoolGrid(x: tf.Tensor3D, grid: { readonly height: number; readonly width: number }, stride: number): tf.Tensor3D {
  const [batch, tokens, width] = x.shape;
  if (tokens !== grid.height * grid.width) {
    throw new Error(`avgPoolGrid: ${tokens} tokens do not form a ${grid.height}×${grid.width} grid (drop the class token first)`);
  }
  if (stride === 1) return tf.clone(x);
  return tf.tidy(() => {
    const image = tf.reshape(x, [batch, grid.height, grid.width, width]) as tf.Tensor4D;
    const pooled = tf.avgPool(image, stride, stride, 'valid');
    const [, outH, outW] = pooled.shape;
    return tf.reshape(pooled, [batch, outH * outW, width]) as tf.Tensor3D;
  });
}
