/**
 * Convolutions and pooling against direct float64 loops in PyTorch layouts: Whisper-style conv1d
 * (stride 2, padding 1, GELU epilogue), grouped conv1d (BEATs positional conv), the conv2d patch
 * embedding (stride = kernel, an input side that is not a multiple of it), and avg_pool2d.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { convKernel } from '../../compiler/wgsl/conv.js';
import { avgPoolKernel } from '../../compiler/wgsl/pool.js';
import type { Instr } from '../../compiler/wgsl/types.js';
import { arg, randomFloats, relError, releaseGpu, runOne } from './harness.js';
import { activation, size, unravelIndex } from './reference.js';

afterAll(releaseGpu);

function convRef(x: Float32Array, xs: number[], w: Float32Array, ws: number[], bias: Float32Array | undefined, stride: number[], pad: number[], groups: number): { data: Float64Array; shape: number[] } {
  const dims = xs.length - 2;
  const [N, Cin] = xs;
  const [Cout, Cg] = ws;
  const inSp = xs.slice(2);
  const kSp = ws.slice(2);
  const outSp = inSp.map((s, a) => Math.floor((s + 2 * pad[a] - kSp[a]) / stride[a]) + 1);
  const shape = [N, Cout, ...outSp];
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const [n, co, ...o] = unravelIndex(i, shape);
    const g = Math.floor(co / (Cout / groups));
    let acc = bias ? bias[co] : 0;
    for (let ci = 0; ci < Cg; ci++)
      for (let kf = 0; kf < size(kSp); kf++) {
        const k = unravelIndex(kf, kSp);
        const p = o.map((oa, a) => oa * stride[a] + k[a] - pad[a]);
        if (p.some((pa, a) => pa < 0 || pa >= inSp[a])) continue;
        const xIdx = dims === 1 ? ((n * Cin + g * Cg + ci) * inSp[0] + p[0]) : (((n * Cin + g * Cg + ci) * inSp[0] + p[0]) * inSp[1] + p[1]);
        acc += x[xIdx] * w[(co * Cg + ci) * size(kSp) + kf];
      }
    data[i] = acc;
  }
  return { data, shape };
}

describe('conv kernel', () => {
  it('conv1d [2, 5, 11] → 4 channels, kernel 3, stride 2, padding 1, then GELU', { timeout: 180_000 }, async () => {
    const xs = [2, 5, 11];
    const ws = [4, 5, 3];
    const x = randomFloats(size(xs), 141);
    const w = randomFloats(size(ws), 142);
    const bias = randomFloats(4, 143);
    const ref = convRef(x, xs, w, ws, bias, [2], [1], 1);
    const out = arg(9, ref.shape);
    const program: Instr[] = [{ op: 'acc', part: 0 }, { op: 'activation', fn: 'gelu', a: 0 }];
    const kernel = convKernel({ x: arg(0, xs), w: arg(1, ws), bias: arg(2, [4]), out, stride: [2], padding: [1], groups: 1, program });
    const [got] = await runOne(kernel, [{ id: 0, data: x }, { id: 1, data: w }, { id: 2, data: bias }], [{ arg: out, words: size(ref.shape) }]);
    expect(relError(got, ref.data.map((v) => activation('gelu', v)))).toBeLessThanOrEqual(1e-5);
  });

  it('grouped conv1d (2 groups, kernel 4, padding 2) without bias', { timeout: 180_000 }, async () => {
    const xs = [1, 6, 9];
    const ws = [4, 3, 4];
    const x = randomFloats(size(xs), 151);
    const w = randomFloats(size(ws), 152);
    const ref = convRef(x, xs, w, ws, undefined, [1], [2], 2);
    const out = arg(9, ref.shape);
    const [got] = await runOne(convKernel({ x: arg(0, xs), w: arg(1, ws), out, stride: [1], padding: [2], groups: 2 }), [{ id: 0, data: x }, { id: 1, data: w }], [{ arg: out, words: size(ref.shape) }]);
    expect(relError(got, ref.data)).toBeLessThanOrEqual(1e-5);
  });

  it('conv2d patch embedding [1, 3, 10, 10] with 4×4 patches (stride 4) and bias', { timeout: 180_000 }, async () => {
    const xs = [1, 3, 10, 10];
    const ws = [6, 3, 4, 4];
    const x = randomFloats(size(xs), 161);
    const w = randomFloats(size(ws), 162);
    const bias = randomFloats(6, 163);
    const ref = convRef(x, xs, w, ws, bias, [4, 4], [0, 0], 1);
    const out = arg(9, ref.shape);
    const [got] = await runOne(convKernel({ x: arg(0, xs), w: arg(1, ws), bias: arg(2, [6]), out, stride: [4, 4], padding: [0, 0], groups: 1 }), [{ id: 0, data: x }, { id: 1, data: w }, { id: 2, data: bias }], [{ arg: out, words: size(ref.shape) }]);
    expect(ref.shape).toEqual([1, 6, 2, 2]);
    expect(relError(got, ref.data)).toBeLessThanOrEqual(1e-5);
  });
});

describe('avg_pool2d kernel', () => {
  it('pools [2, 3, 7, 9] with a 2×2 window and stride 2 (floor)', { timeout: 180_000 }, async () => {
    const xs = [2, 3, 7, 9];
    const x = randomFloats(size(xs), 171);
    const outShape = [2, 3, 3, 4];
    const out = arg(9, outShape);
    const [got] = await runOne(avgPoolKernel({ x: arg(0, xs), out, kernel: 2, stride: 2 }), [{ id: 0, data: x }], [{ arg: out, words: size(outShape) }]);
    const ref = Array.from({ length: size(outShape) }, (_, i) => {
      const [n, c, y, xx] = unravelIndex(i, outShape);
      let s = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) s += x[((n * 3 + c) * 7 + y * 2 + dy) * 9 + xx * 2 + dx];
      return s / 4;
    });
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-6);
  });
});
