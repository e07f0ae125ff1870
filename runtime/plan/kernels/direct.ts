/**
 * Products straight to the backend's kernels. tfjs's `matMul` and `fused.matMul` ops reshape 2-D
 * operands to 3-D and the result back on every call (three extra kernel calls, which cost as much
 * as a tiny product); the executor keeps weights and per-head operands 3-D with a batch of one —
 * still the unbatched, untransposed form tfjs-wasm runs on XNNPACK — and calls the kernels itself.
 */
import { tf } from '../../backend/tf.js';

export type FusableActivation = 'linear' | 'relu' | 'sigmoid';

/** `a·b` for `[1, m, k]` · `[1, k, n]` → `[1, m, n]`. */
export function matMul3d(a: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  return tf.engine().runKernel(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false }) as tf.Tensor3D;
}

/** activation(`a·b` + bias) in one kernel; `bias` is `[n]` with storage of its own (see `rank1`). */
export function fusedMatMul3d(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor1D | undefined, activation: FusableActivation): tf.Tensor3D {
  if (bias === undefined && activation === 'linear') return matMul3d(a, b);
  const inputs: tf.NamedTensorMap = bias === undefined ? { a, b } : { a, b, bias };
  return tf.engine().runKernel(tf._FusedMatMul, inputs, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 }) as tf.Tensor3D;
}
