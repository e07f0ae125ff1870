/**
 * Pieces several kernels share: row norms, rotary tables and the rotation, the causal mask as an
 * additive bias, and convolutions in tfjs's NHWC layout.
 */
import { tf } from '../../backend/tf.js';
import type { NormFn } from '../types.js';
import { matMul3d } from './direct.js';

/**
 * A 1-D copy with storage of its own: tfjs-wasm's fused kernels check a bias's rank on its data,
 * and a reshape shares the data (and the rank) of what it reshapes. Adding 0 is exact.
 */
export function rank1(x: tf.Tensor): tf.Tensor1D {
  return tf.add(tf.reshape(x, [x.size]), tf.scalar(0, x.dtype)) as tf.Tensor1D;
}

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

/** The normalization alone, without gain or shift: (x − mean)/√(var + eps) or x/√(mean(x²) + eps). */
export function normalize(x: tf.Tensor, fn: NormFn, eps: number): tf.Tensor {
  if (fn === 'rmsnorm') return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)));
  const centred = tf.sub(x, tf.mean(x, -1, true));
  return tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps)));
}

/**
 * Rotary tables for HF rotate-half, `[rows, heads·headDim]` each (the same per head): cos/sin of
 * position·θ^(−2i/rotaryDim) for feature i and i + rotaryDim/2, and 1 / 0 past `rotaryDim` (those
 * features pass through). Computed on the host in double precision and rounded once, like the
 * reference interpreter; laid out like the rows they multiply, so no reshape is needed.
 */
export function ropeTables(positions: Int32Array, headDim: number, rotaryDim: number, theta: number, heads = 1): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const rows = positions.length;
  const half = rotaryDim / 2;
  const width = heads * headDim;
  const cos = new Float32Array(rows * width);
  const sin = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let i = 0; i < half; i++) {
      const angle = positions[r] * (1 / Math.pow(theta, (2 * i) / rotaryDim));
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const at = base + h * headDim;
        cos[at + i] = c;
        cos[at + i + half] = c;
        sin[at + i] = s;
        sin[at + i + half] = s;
      }
    }
    for (let h = 0; h < heads; h++) for (let i = rotaryDim; i < headDim; i++) cos[base + h * headDim + i] = 1;
  }
  return { cos: tf.tensor2d(cos, [rows, width]), sin: tf.tensor2d(sin, [rows, width]) };
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

/**
 * Rotates `y` (`[..., rows, heads·headDim]`, `rows` = the tables' rows) head by head:
 * y·cos + rotate_half(y)·sin, with `rotate` the `[1, headDim, headDim]` rotate-half matrix.
 */
export function applyRope(y: tf.Tensor, tables: { cos: tf.Tensor; sin: tf.Tensor }, rotate: tf.Tensor, headDim: number): tf.Tensor {
  const [rows, width] = tables.cos.shape;
  const rotated = tf.reshape(matMul3d(tf.reshape(y, [1, (rows * width) / headDim, headDim]), rotate), y.shape);
  const y2 = y.rank === 2 || (y.rank === 3 && y.shape[0] === 1) ? y : tf.reshape(y, [rows, width]);
  const out = tf.add(tf.mul(y2, tables.cos), tf.mul(y.rank === y2.rank ? rotated : tf.reshape(rotated, [rows, width]), tables.sin));
  return out.shape.join() === y.shape.join() ? out : tf.reshape(out, y.shape);
}

/**
 * The causal mask as an additive bias, one `[queries, keys]` tensor per sample: 0 where key j ≤
 * query i + offset and the key is not padding, else `negative`. Built on the host from the mask's
 * values (a handful of tiny tfjs ops would cost more than the loop).
 */
export function causalBias(mask: Int32Array, batch: number, queries: number, keys: number, queryOffset: number, negative: number): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  for (let b = 0; b < batch; b++) {
    const bias = new Float32Array(queries * keys);
    for (let i = 0; i < queries; i++) {
      for (let j = 0; j < keys; j++) {
        if (!(j <= i + queryOffset && mask[b * keys + j] !== 0)) bias[i * keys + j] = negative;
      }
    }
    out.push(tf.tensor2d(bias, [queries, keys]));
  }
  return out;
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
  const b = bias === null ? null : rank1(bias);
  if (groups === 1) return { filters: [hwio], biases: [b], depthwise: false };
  if (perGroup === 1 && out === groups) {
    // Depthwise: [kh, kw, 1, C] → [kh, kw, C, 1].
    return { filters: [tf.reshape(hwio, [hwio.shape[0], hwio.shape[1], out, 1])], biases: [b], depthwise: true };
  }
  const filters = tf.split(hwio, groups, 3) as tf.Tensor4D[];
  const biases = bias === null ? filters.map(() => null) : (tf.split(rank1(bias), groups) as tf.Tensor1D[]).map(rank1);
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
