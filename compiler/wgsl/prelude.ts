/**
 * WGSL helpers every kernel may call. We avoid builtins whose accuracy WebGPU leaves to the
 * driver where it matters for matching PyTorch in float32: `sin`/`cos` (Vulkan only promises
 * 2^-11 absolute, on [-π, π]) are replaced by a range-reduced polynomial, `tanh` by a rational
 * form near 0 and an exp form beyond, and WGSL has no `erf` (exact GELU uses an erfc fit with
 * relative error < 1.2e-7, Numerical Recipes' Chebyshev form).
 */
export const PRELUDE = `
fn mimo_sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn mimo_tanh(x: f32) -> f32 {
  let a = abs(x);
  if (a < 1.0) {
    // Lambert's continued fraction truncated to a [7/6] rational: |error| < 2e-9 on [-1, 1].
    let x2 = x * x;
    return x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2))) / (135135.0 + x2 * (62370.0 + x2 * (3150.0 + x2 * 28.0)));
  }
  let e = exp(-2.0 * min(a, 20.0));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn mimo_erfc(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(p);
  return select(r, 2.0 - r, x < 0.0);
}
fn mimo_gelu(x: f32) -> f32 { return 0.5 * x * mimo_erfc(-x * 0.70710678118654752); }
fn mimo_gelu_tanh(x: f32) -> f32 { return 0.5 * x * (1.0 + mimo_tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))); }
fn mimo_quick_gelu(x: f32) -> f32 { return x * mimo_sigmoid(1.702 * x); }
fn mimo_silu(x: f32) -> f32 { return x * mimo_sigmoid(x); }
fn mimo_relu(x: f32) -> f32 { return max(x, 0.0); }
// (cos x, sin x) for float32 x with |x| < 5e4: Cody-Waite reduction by π/2 in three parts, then
// minimax polynomials on [-π/4, π/4] (errors near float32 rounding).
fn mimo_cos_sin(x: f32) -> vec2f {
  let k = round(x * 0.63661977236758134);
  var r = x - k * 1.5703125;
  r = r - k * 4.837512969970703125e-4;
  r = r - k * 7.54978995489188216e-8;
  let r2 = r * r;
  let s = r + r * r2 * (-1.6666654611e-1 + r2 * (8.3321608736e-3 + r2 * -1.9515295891e-4));
  let c = 1.0 - 0.5 * r2 + r2 * r2 * (4.166664568298827e-2 + r2 * (-1.388731625493765e-3 + r2 * 2.443315711809948e-5));
  let q = i32(k) & 3;
  if (q == 0) { return vec2f(c, s); }
  if (q == 1) { return vec2f(-s, c); }
  if (q == 2) { return vec2f(-c, -s); }
  return vec2f(s, -c);
}
`.trim();

/** The WGSL call for an activation function. */
export function activationCall(fn: string, arg: string): string {
  switch (fn) {
    case 'gelu':
    case 'gelu_tanh':
    case 'quick_gelu':
    case 'silu':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return `mimo_${fn}(${arg})`;
    default:
      throw new RangeError(`unknown activation '${fn}'`);
  }
}
