/**
 * The tiled matmul against float64 loops: sizes that are not tile multiples, transposed A and B,
 * broadcast batch axes, every tile preset, norm prologues, bias/activation/residual epilogues,
 * packed QKV outputs with RoPE on q and k (partial rotary too), and SwiGLU over two parts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type AdapterClass, chooseMatmulTile, matmulKernel, type MatmulTile } from '../../compiler/wgsl/matmul.js';
import type { Instr } from '../../compiler/wgsl/types.js';
import { arg, randomFloats, randomInts, relError, releaseGpu, runOne } from './harness.js';
import { evalProgram, matmulRef, normRef, ropeRef, size } from './reference.js';

afterAll(releaseGpu);

const TILES: Record<string, MatmulTile> = {
  large: chooseMatmulTile(64, 1),
  medium: chooseMatmulTile(16, 1),
  'few-rows': chooseMatmulTile(3, 1),
  'one-row': chooseMatmulTile(1, 1),
  // A fallback adapter (CPU-emulated): K read straight from storage, no workgroup staging.
  'cpu-adapter large': chooseMatmulTile(64, 1, 'cpu'),
  'cpu-adapter medium': chooseMatmulTile(16, 1, 'cpu'),
  'cpu-adapter two parts': chooseMatmulTile(64, 2, 'cpu'),
  'cpu-adapter few rows': chooseMatmulTile(3, 1, 'cpu'),
  'cpu-adapter one row': chooseMatmulTile(1, 1, 'cpu'),
};
const ADAPTERS: readonly AdapterClass[] = ['gpu', 'cpu'];

const ACC: Instr[] = [{ op: 'acc', part: 0 }];

describe('matmul kernel', () => {
  for (const [name, tile] of Object.entries(TILES)) {
    it(`7×13×29 with transposed B, bias and gelu (${name} tiles)`, { timeout: 180_000 }, async () => {
      const [m, k, n] = [7, 13, 29];
      const a = randomFloats(m * k, 11);
      const w = randomFloats(n * k, 12); // [out, in], HF layout
      const bias = randomFloats(n, 13);
      const program: Instr[] = [{ op: 'acc', part: 0 }, { op: 'load', input: 0 }, { op: 'add', a: 0, b: 1 }, { op: 'activation', fn: 'gelu', a: 2 }];
      const out = arg(9, [m, n]);
      const kernel = matmulKernel({ a: arg(0, [m, k]), b: arg(1, [n, k]), transposeA: false, transposeB: true, m, n, k, batch: [], outputs: [{ out, width: n, program }], loads: [arg(2, [n])], tile });
      const [got] = await runOne(kernel, [{ id: 0, data: a }, { id: 1, data: w }, { id: 2, data: bias }], [{ arg: out, words: m * n }]);
      const prod = matmulRef(a, [m, k], w, [n, k], { transposeA: false, transposeB: true }).data;
      const ref = prod.map((v, i) => evalProgram(program, () => bias[i % n], () => v));
      expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
    });
  }

  for (const adapter of ADAPTERS) it(`batched [2, 3] with transposed A, B broadcast over the first axis, residual add, many tiles (${adapter} adapter tiles)`, { timeout: 300_000 }, async () => {
    const [m, k, n] = [70, 37, 67];
    const a = randomFloats(2 * 3 * k * m, 21); // [2, 3, K, M]
    const bm = randomFloats(3 * k * n, 22); // [3, K, N] broadcast over batch axis 0
    const res = randomFloats(2 * 3 * m * n, 23);
    const program: Instr[] = [{ op: 'acc', part: 0 }, { op: 'load', input: 0 }, { op: 'add', a: 0, b: 1 }];
    const out = arg(9, [2, 3, m, n]);
    const kernel = matmulKernel({ a: arg(0, [2, 3, k, m]), b: arg(1, [3, k, n]), transposeA: true, transposeB: false, m, n, k, batch: [2, 3], outputs: [{ out, width: n, program }], loads: [arg(2, [2, 3, m, n])], adapter });
    const [got] = await runOne(kernel, [{ id: 0, data: a }, { id: 1, data: bm }, { id: 2, data: res }], [{ arg: out, words: size([2, 3, m, n]) }]);
    const prod = matmulRef(a, [2, 3, k, m], bm, [3, k, n], { transposeA: true, transposeB: false }).data;
    const ref = prod.map((v, i) => v + res[i]);
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
  });

  for (const adapter of ADAPTERS) it(`layernorm prologue + packed QKV (heads 3, kv 1) with RoPE on q (full) and k (partial rotary) (${adapter} adapter tiles)`, { timeout: 300_000 }, async () => {
    const [bsz, t, hidden, hd] = [2, 5, 24, 8];
    const [heads, kvHeads] = [3, 1];
    const m = bsz * t;
    const qw = heads * hd;
    const kw = kvHeads * hd;
    const n = qw + 2 * kw;
    const x = randomFloats(m * hidden, 31, 2);
    const w = randomFloats(n * hidden, 32); // packed [q; k; v] rows, [N, K]
    const gamma = randomFloats(hidden, 33);
    const beta = randomFloats(hidden, 34);
    const bias = randomFloats(n, 35);
    const pos = randomInts(bsz * t, 36, 0, 40);
    const parts = [
      { start: 0, end: qw },
      { start: qw, end: qw + kw },
      { start: qw + kw, end: n },
    ];
    const withBias = (part: number): Instr[] => [{ op: 'acc', part }, { op: 'load', input: part }, { op: 'add', a: 0, b: 1 }];
    const outs = [arg(10, [bsz, t, qw]), arg(11, [bsz, t, kw]), arg(12, [bsz, t, kw])];
    const positions = arg(5, [bsz, t], { dtype: 'i32' });
    const kernel = matmulKernel({
      a: arg(0, [bsz, t, hidden]),
      b: arg(1, [n, hidden]),
      transposeA: false,
      transposeB: true,
      m: t,
      n,
      k: hidden,
      batch: [bsz],
      prologue: { fn: 'layernorm', eps: 1e-5, gamma: arg(2, [hidden]), beta: arg(3, [hidden]) },
      parts,
      outputs: [
        { out: outs[0], width: qw, program: withBias(0), rope: { positions, theta: 10000, rotaryDim: hd, headDim: hd } },
        { out: outs[1], width: kw, program: withBias(1), rope: { positions, theta: 500, rotaryDim: 4, headDim: hd } },
        { out: outs[2], width: kw, program: withBias(2) },
      ],
      loads: [arg(4, [qw], { offset: 0 }), arg(4, [kw], { offset: qw }), arg(4, [kw], { offset: qw + kw })],
      tile: chooseMatmulTile(16, 1, adapter),
    });
    const got = await runOne(
      kernel,
      [{ id: 0, data: x }, { id: 1, data: w }, { id: 2, data: gamma }, { id: 3, data: beta }, { id: 4, data: bias }, { id: 5, data: pos }],
      outs.map((o) => ({ arg: o, words: size(o.shape) })),
    );
    const xn = normRef(x, hidden, 'layernorm', 1e-5, gamma, beta);
    const prod = matmulRef(xn, [m, hidden], w, [n, hidden], { transposeA: false, transposeB: true }).data;
    const col = (row: number, c: number): number => prod[row * n + c] + bias[c];
    const refQ = new Float64Array(m * qw);
    const refK = new Float64Array(m * kw);
    const refV = new Float64Array(m * kw);
    for (let row = 0; row < m; row++) {
      for (let h = 0; h < heads; h++) {
        const head = Array.from({ length: hd }, (_, d) => col(row, h * hd + d));
        refQ.set(ropeRef(head, pos[row], 10000, hd), row * qw + h * hd);
      }
      const kh = Array.from({ length: hd }, (_, d) => col(row, qw + d));
      refK.set(ropeRef(kh, pos[row], 500, 4), row * kw);
      for (let d = 0; d < kw; d++) refV[row * kw + d] = col(row, qw + kw + d);
    }
    expect(relError(got[0], refQ)).toBeLessThanOrEqual(1e-5);
    expect(relError(got[1], refK)).toBeLessThanOrEqual(1e-5);
    expect(relError(got[2], refV)).toBeLessThanOrEqual(1e-5);
  });

  for (const [m, adapter] of [[3, 'gpu'], [1, 'gpu'], [1, 'cpu'], [9, 'cpu'], [50, 'cpu']] as const) it(`rmsnorm prologue + SwiGLU silu(gate)·up over two packed parts (M = ${m}, K past one K tile, ${adapter} adapter tiles)`, { timeout: 180_000 }, async () => {
    const [hidden, inter] = [37, 13];
    const x = randomFloats(m * hidden, 41, 3);
    const w = randomFloats(2 * inter * hidden, 42); // [gate; up] rows
    const gamma = randomFloats(hidden, 43);
    const program: Instr[] = [{ op: 'acc', part: 0 }, { op: 'activation', fn: 'silu', a: 0 }, { op: 'acc', part: 1 }, { op: 'mul', a: 1, b: 2 }];
    const out = arg(9, [m, inter]);
    const kernel = matmulKernel({
      a: arg(0, [m, hidden]),
      b: arg(1, [2 * inter, hidden]),
      transposeA: false,
      transposeB: true,
      m,
      n: 2 * inter,
      k: hidden,
      batch: [],
      prologue: { fn: 'rmsnorm', eps: 1e-6, gamma: arg(2, [hidden]) },
      parts: [
        { start: 0, end: inter },
        { start: inter, end: 2 * inter },
      ],
      outputs: [{ out, width: inter, program }],
      adapter,
    });
    const [got] = await runOne(kernel, [{ id: 0, data: x }, { id: 1, data: w }, { id: 2, data: gamma }], [{ arg: out, words: m * inter }]);
    const xn = normRef(x, hidden, 'rmsnorm', 1e-6, gamma);
    const prod = matmulRef(xn, [m, hidden], w, [2 * inter, hidden], { transposeA: false, transposeB: true }).data;
    const ref = Float64Array.from({ length: m * inter }, (_, i) => {
      const row = Math.floor(i / inter);
      const c = i % inter;
      return evalProgram(program, () => 0, (p) => prod[row * 2 * inter + p * inter + c]);
    });
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
  });

  for (const adapter of ADAPTERS) it(`reads A through a transposed view (heads merged from [B, H, T, D]) and writes a plain product (${adapter} adapter tiles)`, { timeout: 180_000 }, async () => {
    const [bsz, heads, t, d, n] = [2, 3, 5, 4, 9];
    const stored = randomFloats(bsz * heads * t * d, 51); // [B, H, T, D]
    // logical A = [B, T, H*D]: element (b, t, h, d) at b*H*T*D + h*T*D + t*D + d
    const aArg = arg(0, [bsz, t, heads * d], { view: { shape: [bsz, t, heads, d], strides: [heads * t * d, d, t * d, 1] } });
    const w = randomFloats(n * heads * d, 52);
    const out = arg(9, [bsz, t, n]);
    const kernel = matmulKernel({ a: aArg, b: arg(1, [n, heads * d]), transposeA: false, transposeB: true, m: t, n, k: heads * d, batch: [bsz], outputs: [{ out, width: n, program: ACC }], adapter });
    const [got] = await runOne(kernel, [{ id: 0, data: stored }, { id: 1, data: w }], [{ arg: out, words: bsz * t * n }]);
    const merged = new Float64Array(bsz * t * heads * d);
    for (let b = 0; b < bsz; b++) for (let h = 0; h < heads; h++) for (let i = 0; i < t; i++) for (let e = 0; e < d; e++) merged[((b * t + i) * heads + h) * d + e] = stored[((b * heads + h) * t + i) * d + e];
    const ref = matmulRef(merged, [bsz * t, heads * d], w, [n, heads * d], { transposeA: false, transposeB: true }).data;
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
  });
});
