/**
 * Scalar float32 arithmetic shared by both interpreters: every result is rounded to float32
 * (`Math.fround`), as a GPU computing in f32 would. Activations and the rotary angle are defined
 * once here so the unfused and fused runs differ only in the order of their arithmetic.
 */
import type { ActivationFn } from '../../ir/types.js';

export const f32 = Math.fround;

/** erf: its Maclaurin series for |x| < 2, Abramowitz & Stegun 7.1.26 beyond (|error| < 2e-7, below float32 resolution of gelu there). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  let y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  if (a < 2) {
    let sum = 0;
    let term = a;
    for (let n = 0; n < 60; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
      term *= (-a * a) / (n + 1);
    }
    y = (2 / Math.sqrt(Math.PI)) * sum;
  }
  return sign * y;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function activate(fn: ActivationFn, x: number): number {
  switch (fn) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return f32(1 / (1 + Math.exp(-x)));
    case 'tanh':
      return f32(Math.tanh(x));
    case 'silu':
      return f32(x / (1 + Math.exp(-x)));
    case 'quick_gelu':
      return f32(x / (1 + Math.exp(-1.702 * x)));
    case 'gelu':
      return f32(0.5 * x * (1 + erf(x / Math.SQRT2)));
    case 'gelu_tanh':
      return f32(0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
  }
}

/** Rotary angle of feature pair `i` at position `pos` (HF: inv_freq = θ^(−2i/rotaryDim)). */
export function ropeAngle(pos: number, i: number, rotaryDim: number, theta: number): number {
  return pos * (1 / Math.pow(theta, (2 * i) / rotaryDim));
}

/** BEATs / T5 bidirectional relative-position bucket of offset `relative` = key − query. */
export function relativeBucket(relative: number, buckets: number, maxDistance: number): number {
  const half = Math.floor(buckets / 2);
  const signOffset = relative > 0 ? half : 0;
  const distance = Math.abs(relative);
  const maxExact = Math.floor(half / 2);
  if (distance < maxExact) return signOffset + distance;
  const scaled = f32(f32(f32(Math.log(f32(distance / maxExact))) / f32(Math.log(maxDistance / maxExact))) * (half - maxExact));
  return signOffset + Math.min(maxExact + Math.trunc(scaled), half - 1);
}
