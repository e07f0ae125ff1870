import { tf } from '../backend/tf.js';

/** HF `nn.LayerNorm` parameters: `weight` (gamma) and `bias` (beta), each `[hidden]`. */
export interface LayerNormWeights {
  readonly weight: tf.Tensor1D;
  readonly bias: tf.Tensor1D;
}

/** HF `LlamaRMSNorm` parameter: `weight` `[hidden]`. */
export interface RmsNormWeights {
  readonly weight: tf.Tensor1D;
}

/** LayerNorm over the last axis with the biased variance, as `torch.nn.functional.layer_norm`. */
export function layerNorm(x: tf.Tensor, w: LayerNormWeights, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, w.weight), w.bias);
  });
}

/** RMSNorm as HF LLaMA: `weight * x / sqrt(mean(x²) + eps)`. */
export function rmsNorm(x: tf.Tensor, w: RmsNormWeights, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), w.weight);
  });
}
