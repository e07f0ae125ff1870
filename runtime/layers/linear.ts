import { tf } from '../backend/tf.js';

/**
 * A prepared linear layer. `kernel` is `[in, out]`: Hugging Face's `nn.Linear.weight` (`[out, in]`)
 * transposed ONCE at load time, because tfjs-wasm's fast XNNPACK matmul only covers unbatched,
 * untransposed products (a `transposeB` product falls back to a much slower loop).
 */
export interface Linear {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D | null;
}

/** From HF `nn.Linear` tensors: `weight` `[out, in]` (copied transposed), `bias` `[out]` (kept). */
export function linearFromHf(weight: tf.Tensor2D, bias: tf.Tensor1D | null = null): Linear {
  if (weight.rank !== 2) throw new Error(`linearFromHf: weight must be 2-D [out, in], got shape [${weight.shape.join(', ')}]`);
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(`linearFromHf: bias shape [${bias.shape.join(', ')}] does not match weight [${weight.shape.join(', ')}] (expected [${weight.shape[0]}])`);
  }
  return { kernel: tf.transpose(weight), bias };
}

/** From a kernel already laid out `[in, out]` (GPT-2's `Conv1D`); the tensors are used as they are. */
export function linearFromKernel(kernel: tf.Tensor2D, bias: tf.Tensor1D | null = null): Linear {
  if (kernel.rank !== 2) throw new Error(`linearFromKernel: kernel must be 2-D [in, out], got shape [${kernel.shape.join(', ')}]`);
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== kernel.shape[1])) {
    throw new Error(`linearFromKernel: bias shape [${bias.shape.join(', ')}] does not match kernel [${kernel.shape.join(', ')}] (expected [${kernel.shape[1]}])`);
  }
  return { kernel, bias };
}

/** `a @ b` for 2-D operands with no transpose flags: the product XNNPACK accelerates on wasm. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b, false, false);
}

/** `x @ kernel + bias` over the last axis of `x` (any rank ≥ 1), computed as one 2-D product. */
export function linear(x: tf.Tensor, w: Linear): tf.Tensor {
  return tf.tidy(() => {
    const [inWidth, outWidth] = w.kernel.shape;
    const last = x.shape[x.rank - 1];
    if (last !== inWidth) {
      throw new Error(`linear: input width ${last} (shape [${x.shape.join(', ')}]) does not match kernel [${inWidth}, ${outWidth}]`);
    }
    const rows = x.size / inWidth;
    const flat = matMul2d(tf.reshape(x, [rows, inWidth]), w.kernel);
    const withBias = w.bias === null ? flat : tf.add(flat, w.bias);
    return tf.reshape(withBias, [...x.shape.slice(0, -1), outWidth]);
  });
}
