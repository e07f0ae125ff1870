/**
 * Pieces several kernels share: row norms, rotary tables and the rotation, the causal mask as an
 * additive bias, and convolutions in tfjs's NHWC layout.
 */
import { tf } from '../../backend/tf.js';
import type { NormFn } from '../types.js';

/** True when an operand of `shape` is the output itself or broadcasts along its rows only (`[width]`, `[1, 1, width]`). */
export function rowwise(shape: readonly number[], output: readonly number[]): boolean {
  if (shape.join() === output.join()) return true;
  return shape.length > 0 && shape[shape.length - 1] === output[output.length - 1] && shape.slice(0, -1).every((d) => d === 1);
}

/** LayerNorm ((x − mean)/√(var + eps)·γ + β) or RMSNorm (x/√(mean(x²) + eps)·γ) over the last axis. */
export function normRows(x: tf.Tensor, fn: NormFn, eps: number, gamma: tf.Tensor, beta: tf.Tensor | null): tf.Tensor {
  if (fn === 'rmsnorm') {
    const inv = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
    return tf.mul(tf.mul(x, inv), gamma);
  }
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const inv = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps));
  const scaled = tf.mul(tf.mul(centred, inv), gamma);
  return beta === null ? scaled : tf.add(scaled, beta);
}

/**
 * Rotary tables for HF rotate-half, `[rows, 1, headDim]` each: cos/sin of position·θ^(−2i/rotaryDim)
 * for feature i and i + rotaryDim/2, and 1 / 0 past `rotaryDim` (those features pass through).
 * Computed on the host in double precision and rounded once, like the reference interpreter.
 */
export function ropeTables(positions: Int32Array, headDim: number, rotaryDim: number, theta: number): { cos: tf.Tensor3D; sin: tf.Tensor3D } {
  const rows = positions.length;
  const half = rotaryDim / 2;
  const cos = new Float32Array(rows * headDim);
  const sin = new Float32Array(rows * headDim);
  for (let r = 0; r < rows; r++) {
    const base = r * headDim;
    for (let i = 0; i < half; i++) {
      const angle = positions[r] * (1 / Math.pow(theta, (2 * i) / rotaryDim));
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[base + i] = c;
      cos[base + i + half] = c;
      sin[base + i] = s;
      sin[base + i + half] = s;
    }
    for (let i = rotaryDim; i < headDim; i++) cos[base + i] = 1;
  }
  return { cos: tf.tensor3d(cos, [rows, 1, headDim]), sin: tf.tensor3d(sin, [rows, 1, headDim]) };
}

/**
 * The signed permutation R with x·R = rotate_half(x) = [−x₂, x₁, 0…] on each head: one small
 * matmul instead of two slices, a negation and a concat (each output sums one ±1 product, so the
 * result is exact).
 */
export function rotateHalfMatrix(headDim: number, rotaryDim: number): tf.Tensor2D {
  const half = rotaryDim / 2;
  const m = new Float32Array(headDim * headDim);
  for (let i = 0; i < half; i++) {
    m[(i + half) * headDim + i] = -1;
    m[i * headDim + i + half] = 1;
  }
  return tf.tensor2d(m, [headDim, headDim]);
}

/** Rotates `y` (`[..., rows, heads·headDim]`, `rows` = the tables' rows) head by head: y·cos + rotate_half(y)·sin. */
export function applyRope(y: tf.Tensor, tables: { cos: tf.Tensor; sin: tf.Tensor }, rotate: tf.Tensor2D, headDim: number): tf.Tensor {
  const rows = tables.cos.shape[0];
  const heads = y.size / (rows * headDim);
  const y3 = tf.reshape(y, [rows, heads, headDim]);
  const rotated = tf.reshape(tf.matMul(tf.reshape(y3, [rows * heads, headDim]), rotate), [rows, heads, headDim]);
  return tf.reshape(tf.add(tf.mul(y3, tables.cos), tf.mul(rotated, tables.sin)), y.shape);
}

/**
 * The causal mask as an additive bias, one `[queries, keys]` tensor per sample: 0 where key j ≤
 * query i + offset and the key is not padding, else `negative`.
 */
export function causalBias(mask: tf.Tensor, queries: number, keys: number, queryOffset: number, negative: number): tf.Tensor[] {
  const batch = mask.shape[0];
  const rows = tf.reshape(tf.range(queryOffset, queryOffset + queries, 1, 'int32'), [queries, 1]);
  const cols = tf.reshape(tf.range(0, keys, 1, 'int32'), [1, keys]);
  const causal = tf.lessEqual(cols, rows);
  const real = tf.reshape(tf.notEqual(mask, tf.scalar(0, mask.dtype)), [batch, 1, keys]);
  const allowed = tf.logicalAnd(causal, real);
  const bias = tf.where(allowed, tf.zeros([batch, queries, keys]), tf.fill([batch, queries, keys], negative));
  return batch === 1 ? [tf.reshape(bias, [queries, keys])] : tf.unstack(bias);
}

export interface ConvFilters {
  /** Per group: `[kh, kw, in/groups, out/groups]` (HWIO), or `[kh, kw, in, 1]` for a depthwise conv. */
  readonly filters: readonly tf.Tensor4D[];
  readonly biases: readonly (tf.Tensor1D | null)[];
  readonly depthwise: boolean;
}

/** PyTorch conv weights `[out, in/groups, kh(, kw)]` → tfjs filters, once at load time. */
export function convFilters(weight: tf.Tensor, bias: tf.Tensor | null, groups: number): ConvFilters {
  const [o, i, k] = weight.shape as number[];
  const w4 = weight.rank === 3 ? tf.reshape(weight, [o, i, 1, k]) : weight;
  const hwio = tf.transpose(w4, [2, 3, 1, 0]) as tf.Tensor4D;
  const [, , perGroup, out] = hwio.shape;
  if (groups === 1) return { filters: [hwio], biases: [bias as tf.Tensor1D | null], depthwise: false };
  if (perGroup === 1 && out === groups) {
    // Depthwise: [kh, kw, 1, C] → [kh, kw, C, 1].
    return { filters: [tf.reshape(hwio, [hwio.shape[0], hwio.shape[1], out, 1])], biases: [bias as tf.Tensor1D | null], depthwise: true };
  }
  const filters = tf.split(hwio, groups, 3) as tf.Tensor4D[];
  const biases = bias === null ? filters.map(() => null) : (tf.split(bias, groups) as tf.Tensor1D[]);
  return { filters, biases, depthwise: false };
}

/**
 * Convolution of NHWC `x` with symmetric zero padding, bias and a fusable activation; groups run
 * one tfjs convolution each (tfjs has no grouped convolution) and are concatenated.
 */
export function convNhwc(x: tf.Tensor4D, f: ConvFilters, stride: readonly [number, number], padding: readonly [number, number], activation: 'linear' | 'relu' | 'sigmoid'): tf.Tensor4D {
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [padding[0], padding[0]],
    [padding[1], padding[1]],
    [0, 0],
  ];
  const strides: [number, number] = [stride[0], stride[1]];
  const one = (input: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null): tf.Tensor4D => {
    if (!f.depthwise) return tf.fused.conv2d({ x: input, filter, strides, pad, bias: bias ?? undefined, activation });
    // tfjs's depthwise convolution takes no explicit padding: pad first.
    const padded = padding[0] === 0 && padding[1] === 0 ? input : tf.pad(input, pad);
    return tf.fused.depthwiseConv2d({ x: padded, filter, strides, pad: 'valid', bias: bias ?? undefined, activation });
  };
  if (f.filters.length === 1) return one(x, f.filters[0], f.biases[0]);
  const xs = tf.split(x, f.filters.length, 3) as tf.Tensor4D[];
  return tf.concat(xs.map((xi, g) => one(xi, f.filters[g], f.biases[g])), 3);
}
