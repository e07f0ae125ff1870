/**
 * Row reductions against float64 loops: LayerNorm with a residual-add prologue that also writes
 * the sum, RMSNorm on rows wider than the workgroup, softmax along the last and a middle axis
 * (through a transposed view), sum over axes with an epilogue, and weight normalisation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { normKernel } from '../../compiler/wgsl/norm.js';
import { reduceKernel } from '../../compiler/wgsl/reduce.js';
import { softmaxKernel } from '../../compiler/wgsl/softmax.js';
import type { Instr } from '../../compiler/wgsl/types.js';
import { weightNormKernel } from '../../compiler/wgsl/weightNorm.js';
import { arg, logical, randomFloats, relError, releaseGpu, runOne } from './harness.js';
import { normRef, size, strides, unravelIndex } from './reference.js';

afterAll(releaseGpu);

describe('norm kernel', () => {
  it('layernorm of residual + branch (13 rows × 29), writing the sum too', { timeout: 180_000 }, async () => {
    const shape = [13, 29];
    const res = randomFloats(size(shape), 61, 3);
    const branch = randomFloats(size(shape), 62);
    const gamma = randomFloats(29, 63);
    const beta = randomFloats(29, 64);
    const prologue: Instr[] = [{ op: 'load', input: 0 }, { op: 'load', input: 1 }, { op: 'add', a: 0, b: 1 }];
    const out = arg(9, shape);
    const sum = arg(10, shape);
    const kernel = normKernel({ fn: 'layernorm', eps: 1e-5, out, sum, loads: [arg(0, shape), arg(1, shape)], prologue, gamma: arg(2, [29]), beta: arg(3, [29]) });
    const [got, gotSum] = await runOne(kernel, [{ id: 0, data: res }, { id: 1, data: branch }, { id: 2, data: gamma }, { id: 3, data: beta }], [
      { arg: out, words: size(shape) },
      { arg: sum, words: size(shape) },
    ]);
    const x = Float64Array.from(res, (v, i) => v + branch[i]);
    expect(relError(got, normRef(x, 29, 'layernorm', 1e-5, gamma, beta))).toBeLessThanOrEqual(1e-5);
    expect(relError(gotSum, x)).toBeLessThanOrEqual(1e-7);
  });

  it('rmsnorm of rows wider than the workgroup (3 × 1031), batch-broadcast scale in the prologue', { timeout: 180_000 }, async () => {
    const shape = [3, 1031];
    const x = randomFloats(size(shape), 71, 2);
    const scale = randomFloats(1031, 72);
    const gamma = randomFloats(1031, 73);
    const prologue: Instr[] = [{ op: 'load', input: 0 }, { op: 'load', input: 1 }, { op: 'mul', a: 0, b: 1 }];
    const out = arg(9, shape);
    const kernel = normKernel({ fn: 'rmsnorm', eps: 1e-6, out, loads: [arg(0, shape), arg(1, [1031])], prologue, gamma: arg(2, [1031]) });
    const [got] = await runOne(kernel, [{ id: 0, data: x }, { id: 1, data: scale }, { id: 2, data: gamma }], [{ arg: out, words: size(shape) }]);
    const pre = Float64Array.from(x, (v, i) => v * scale[i % 1031]);
    expect(relError(got, normRef(pre, 1031, 'rmsnorm', 1e-6, gamma))).toBeLessThanOrEqual(1e-5);
  });
});

function softmaxRef(x: Float64Array, shape: readonly number[], axis: number): Float64Array {
  const out = new Float64Array(x.length);
  const st = strides(shape);
  for (let i = 0; i < x.length; i++) {
    const idx = unravelIndex(i, shape);
    if (idx[axis] !== 0) continue;
    const row = Array.from({ length: shape[axis] }, (_, j) => i + j * st[axis]);
    const m = Math.max(...row.map((o) => x[o]));
    const z = row.reduce((s, o) => s + Math.exp(x[o] - m), 0);
    for (const o of row) out[o] = Math.exp(x[o] - m) / z;
  }
  return out;
}

describe('softmax kernel', () => {
  it('last axis of [2, 3, 37] with large scores', { timeout: 180_000 }, async () => {
    const shape = [2, 3, 37];
    const x = randomFloats(size(shape), 81, 30);
    const out = arg(9, shape);
    const [got] = await runOne(softmaxKernel({ input: arg(0, shape), out, axis: -1 }), [{ id: 0, data: x }], [{ arg: out, words: size(shape) }]);
    expect(relError(got, softmaxRef(Float64Array.from(x), shape, 2))).toBeLessThanOrEqual(1e-5);
  });

  it('middle axis of a transposed view ([5, 7, 3] read from [3, 5, 7] storage)', { timeout: 180_000 }, async () => {
    const stored = randomFloats(3 * 5 * 7, 82, 4);
    const input = arg(0, [5, 7, 3], { view: { shape: [5, 7, 3], strides: [7, 1, 35] } });
    const out = arg(9, [5, 7, 3]);
    const [got] = await runOne(softmaxKernel({ input, out, axis: 1 }), [{ id: 0, data: stored }], [{ arg: out, words: 105 }]);
    expect(relError(got, softmaxRef(logical(stored, input), [5, 7, 3], 1))).toBeLessThanOrEqual(1e-5);
  });
});

describe('reduce and weight-norm kernels', () => {
  it('sums [4, 6, 5] over axes (0, 2) keeping dims, then scales and adds a bias', { timeout: 180_000 }, async () => {
    const shape = [4, 6, 5];
    const x = randomFloats(size(shape), 91);
    const bias = randomFloats(6, 92);
    const program: Instr[] = [{ op: 'acc', part: 0 }, { op: 'const', value: 0.25 }, { op: 'mul', a: 0, b: 1 }, { op: 'load', input: 0 }, { op: 'add', a: 2, b: 3 }];
    const out = arg(9, [1, 6, 1]);
    const kernel = reduceKernel({ input: arg(0, shape), axes: [0, 2], keepDims: true, out, program, loads: [arg(1, [1, 6, 1])] });
    const [got] = await runOne(kernel, [{ id: 0, data: x }, { id: 1, data: bias }], [{ arg: out, words: 6 }]);
    const ref = Float64Array.from({ length: 6 }, (_, j) => {
      let s = 0;
      for (let a = 0; a < 4; a++) for (let c = 0; c < 5; c++) s += x[(a * 6 + j) * 5 + c];
      return s * 0.25 + bias[j];
    });
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-6);
  });

  it('weight norm over every axis but dim 2 of v [6, 3, 5] (g [1, 1, 5])', { timeout: 180_000 }, async () => {
    const v = randomFloats(90, 93);
    const g = randomFloats(5, 94);
    const out = arg(9, [6, 3, 5]);
    const [got] = await runOne(weightNormKernel({ g: arg(0, [1, 1, 5]), v: arg(1, [6, 3, 5]), out, dim: 2 }), [{ id: 0, data: g }, { id: 1, data: v }], [{ arg: out, words: 90 }]);
    const norms = Array.from({ length: 5 }, (_, k) => Math.sqrt(Array.from({ length: 18 }, (_, r) => v[r * 5 + k] ** 2).reduce((a, b) => a + b, 0)));
    const ref = Float64Array.from(v, (x, i) => (g[i % 5] * x) / norms[i % 5]);
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-6);
  });
});
