/**
 * CPU references for the WGSL kernel tests: plain float64 loops over row-major arrays, written
 * from the definitions (PyTorch / Hugging Face semantics), independent of the generators.
 */
import type { Instr } from '../../compiler/wgsl/types.js';

export function erf(x: number): number {
  const z = Math.abs(x);
  if (z > 5) return Math.sign(x);
  // Maclaurin series: enough terms for float64 accuracy at |z| ≤ 5.
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
}

export function activation(fn: string, x: number): number {
  switch (fn) {
    case 'gelu':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'gelu_tanh':
      return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    case 'quick_gelu':
      return x / (1 + Math.exp(-1.702 * x));
    case 'silu':
      return x / (1 + Math.exp(-x));
    case 'relu':
      return Math.max(x, 0);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    default:
      throw new Error(`unknown activation ${fn}`);
  }
}

/** Evaluates an elementwise program at one element. */
export function evalProgram(program: readonly Instr[], load: (input: number) => number, acc: (part: number) => number): number {
  const r: number[] = [];
  for (const ins of program) {
    switch (ins.op) {
      case 'load':
        r.push(load(ins.input));
        break;
      case 'acc':
        r.push(acc(ins.part));
        break;
      case 'const':
        r.push(ins.value);
        break;
      case 'add':
        r.push(r[ins.a] + r[ins.b]);
        break;
      case 'sub':
        r.push(r[ins.a] - r[ins.b]);
        break;
      case 'mul':
        r.push(r[ins.a] * r[ins.b]);
        break;
      case 'div':
        r.push(r[ins.a] / r[ins.b]);
        break;
      case 'activation':
        r.push(activation(ins.fn, r[ins.a]));
        break;
    }
  }
  return r[r.length - 1];
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let p = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = p;
    p *= shape[i];
  }
  return s;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function unravelIndex(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return idx;
}

/** Value of a row-major tensor of `shape` at the broadcast of output multi-index `outIdx`. */
export function broadcastRead(data: ArrayLike<number>, shape: readonly number[], outIdx: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  const st = strides(shape);
  let off = 0;
  shape.forEach((d, a) => {
    if (d !== 1) off += outIdx[a + lead] * st[a];
  });
  return data[off];
}

/** Batched matmul with NumPy-broadcast leading axes; `a` [..., M, K] (or [..., K, M]), `b` [..., K, N] (or [..., N, K]). */
export function matmulRef(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  o: { transposeA: boolean; transposeB: boolean },
): { data: Float64Array; shape: number[] } {
  const [m, k] = o.transposeA ? [aShape[aShape.length - 1], aShape[aShape.length - 2]] : aShape.slice(-2);
  const n = o.transposeB ? bShape[bShape.length - 2] : bShape[bShape.length - 1];
  const ab = aShape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = ab[ab.length - rank + i] ?? 1;
    const y = bb[bb.length - rank + i] ?? 1;
    batch.push(Math.max(x, y));
  }
  const out = new Float64Array(size(batch) * m * n);
  for (let bi = 0; bi < size(batch); bi++) {
    const idx = unravelIndex(bi, batch);
    const aOff = broadcastOffset(ab, idx) * m * k;
    const bOff = broadcastOffset(bb, idx) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = o.transposeA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          const bv = o.transposeB ? b[bOff + j * k + p] : b[bOff + p * n + j];
          s += av * bv;
        }
        out[(bi * m + i) * n + j] = s;
      }
  }
  return { data: out, shape: [...batch, m, n] };
}

function broadcastOffset(shape: readonly number[], idx: readonly number[]): number {
  const lead = idx.length - shape.length;
  const st = strides(shape);
  let off = 0;
  shape.forEach((d, a) => {
    if (d !== 1) off += idx[a + lead] * st[a];
  });
  return off;
}

/** LayerNorm / RMSNorm of each row of width `w`. */
export function normRef(x: ArrayLike<number>, w: number, fn: 'layernorm' | 'rmsnorm', eps: number, gamma: ArrayLike<number>, beta?: ArrayLike<number>): Float64Array {
  const rows = x.length / w;
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    if (fn === 'layernorm') {
      for (let c = 0; c < w; c++) mean += x[r * w + c];
      mean /= w;
    }
    let v = 0;
    for (let c = 0; c < w; c++) v += (x[r * w + c] - mean) ** 2;
    v /= w;
    const rstd = 1 / Math.sqrt(v + eps);
    for (let c = 0; c < w; c++) out[r * w + c] = (x[r * w + c] - mean) * rstd * gamma[c] + (beta === undefined ? 0 : beta[c]);
  }
  return out;
}

/** HF rotate-half RoPE of one head vector at `pos` (float32 angles like HF). */
export function ropeRef(x: ArrayLike<number>, pos: number, theta: number, rotaryDim: number): Float64Array {
  const half = rotaryDim / 2;
  const out = Float64Array.from(x as ArrayLike<number>);
  for (let d = 0; d < half; d++) {
    const invFreq = Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * d) / rotaryDim))));
    const angle = Math.fround(pos * invFreq);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    out[d] = x[d] * c - x[d + half] * s;
    out[d + half] = x[d + half] * c + x[d] * s;
  }
  return out;
}
