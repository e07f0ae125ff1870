/** Layers refuse inputs whose shapes disagree with their weights or options, naming both shapes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { activation, attention, avgPoolGrid, conv1d, conv1dFromHf, initBackend, linear, linearFromHf, patchEmbedding, patchEmbeddingFromHf, tf } from '../../../runtime/index.js';

describe('shape checks', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('linear names the input width and the kernel', () => {
    const w = linearFromHf(tf.ones([4, 3]) as tf.Tensor2D);
    expect(() => linear(tf.ones([2, 5]), w)).toThrow(/input width 5 .* kernel \[3, 4\]/);
    expect(() => linearFromHf(tf.ones([4, 3]) as tf.Tensor2D, tf.ones([3]) as tf.Tensor1D)).toThrow(/expected \[4\]/);
  });

  it('attention checks heads, widths, masks and bias shapes', () => {
    const q = tf.ones([1, 3, 8]) as tf.Tensor3D;
    const kv = tf.ones([1, 5, 4]) as tf.Tensor3D;
    expect(() => attention(q, kv, kv, { heads: 3, kvHeads: 2, headDim: 2, causal: false })).toThrow(/multiple of kvHeads/);
    expect(() => attention(q, kv, kv, { heads: 4, kvHeads: 2, headDim: 4, causal: false })).toThrow(/query width 8/);
    expect(() => attention(q, kv, kv, { heads: 4, kvHeads: 2, headDim: 2, causal: true, attentionMask: tf.ones([1, 3]) as tf.Tensor2D })).toThrow(
      /attentionMask has shape \[1, 3\] but the keys need \[1, 5\]/,
    );
    expect(() => attention(q, kv, kv, { heads: 4, kvHeads: 2, headDim: 2, causal: false, bias: tf.ones([1, 4, 3, 3]) as tf.Tensor4D })).toThrow(
      /expected \[1, 4, 3, 5\]/,
    );
  });

  it('convolutions, patches and pooling check channels and grids', () => {
    const conv = conv1dFromHf(tf.ones([6, 4, 3]) as tf.Tensor3D);
    expect(() => conv1d(tf.ones([1, 9, 5]) as tf.Tensor3D, conv, { stride: 1, padding: 1 })).toThrow(/5 channels .* expects 4/);
    const patch = patchEmbeddingFromHf(tf.ones([8, 3, 4, 4]) as tf.Tensor4D);
    expect(() => patchEmbedding(tf.ones([1, 1, 8, 8]) as tf.Tensor4D, patch)).toThrow(/1 channels, the kernel expects 3/);
    expect(() => avgPoolGrid(tf.ones([1, 10, 2]) as tf.Tensor3D, { height: 3, width: 3 }, 2)).toThrow(/10 tokens do not form a 3×3 grid/);
  });

  it('an unknown activation is named with the valid ones', () => {
    expect(() => activation(tf.ones([2]), 'swish' as never)).toThrow(/unknown activation 'swish'.*gelu, gelu_tanh, quick_gelu, relu, silu/);
  });
});
