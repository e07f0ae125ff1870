/**
 * Data movement and index kernels: every copy kind (reshape, broadcast, transpose, slice,
 * repeat_interleave, concat) on int32 and float32, the embedding gather (with an out-of-range id),
 * the zipper scatter over a host-built routing table (table and embeds bases), standalone RoPE,
 * and the causal mask tensor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { causalMaskKernel } from '../../compiler/wgsl/causalMask.js';
import { copyKernel, type CopySource } from '../../compiler/wgsl/copy.js';
import { gatherKernel, zipScatterKernel } from '../../compiler/wgsl/gather.js';
import { ropeKernel } from '../../compiler/wgsl/rope.js';
import { buildZipRoutes, ZipperMismatchError } from '../../runtime/webgpu/zipRoutes.js';
import { arg, randomFloats, randomInts, relError, releaseGpu, runOne } from './harness.js';
import { ropeRef, size, strides, unravelIndex } from './reference.js';

afterAll(releaseGpu);

function at(data: ArrayLike<number>, shape: readonly number[], idx: readonly number[]): number {
  const st = strides(shape);
  return data[idx.reduce((s, v, a) => s + v * st[a], 0)];
}

describe('copy kernel', () => {
  const inShape = [3, 4, 5];
  const x = randomInts(60, 101, -1000, 1000);
  const y = randomInts(3 * 2 * 5, 102, -1000, 1000);
  const cases: { name: string; out: number[]; source: CopySource; ref: (idx: number[], i: number) => number }[] = [
    { name: 'reshape [3,4,5] → [6,10]', out: [6, 10], source: { kind: 'reshape', input: arg(0, inShape, { dtype: 'i32' }) }, ref: (_, i) => x[i] },
    { name: 'broadcast [4,1] → [3,4,5]', out: [3, 4, 5], source: { kind: 'broadcast', input: arg(0, [4, 1], { dtype: 'i32' }) }, ref: (idx) => x[idx[1]] },
    { name: 'transpose (2,0,1)', out: [5, 3, 4], source: { kind: 'transpose', input: arg(0, inShape, { dtype: 'i32' }), perm: [2, 0, 1] }, ref: (idx) => at(x, inShape, [idx[1], idx[2], idx[0]]) },
    { name: 'slice axis 1 [1, 3)', out: [3, 2, 5], source: { kind: 'slice', input: arg(0, inShape, { dtype: 'i32' }), axis: 1, start: 1 }, ref: (idx) => at(x, inShape, [idx[0], idx[1] + 1, idx[2]]) },
    { name: 'repeat axis 0 × 3', out: [9, 4, 5], source: { kind: 'repeat', input: arg(0, inShape, { dtype: 'i32' }), axis: 0, times: 3 }, ref: (idx) => at(x, inShape, [Math.floor(idx[0] / 3), idx[1], idx[2]]) },
    {
      name: 'concat axis 1 of [3,4,5] and [3,2,5]',
      out: [3, 6, 5],
      source: { kind: 'concat', inputs: [arg(0, inShape, { dtype: 'i32' }), arg(1, [3, 2, 5], { dtype: 'i32' })], axis: 1 },
      ref: (idx) => (idx[1] < 4 ? at(x, inShape, idx) : at(y, [3, 2, 5], [idx[0], idx[1] - 4, idx[2]])),
    },
  ];
  for (const c of cases) {
    it(c.name, { timeout: 180_000 }, async () => {
      const out = arg(9, c.out, { dtype: 'i32' });
      const [got] = await runOne(copyKernel({ out, source: c.source }), [{ id: 0, data: x }, { id: 1, data: y }], [{ arg: out, words: size(c.out) }]);
      const ref = Array.from({ length: size(c.out) }, (_, i) => c.ref(unravelIndex(i, c.out), i));
      expect([...got]).toEqual(ref);
    });
  }
});

describe('gather and zipper kernels', () => {
  it('gathers rows of a [11, 7] table by int32 ids [2, 3], zero rows for an out-of-range id', { timeout: 180_000 }, async () => {
    const table = randomFloats(77, 111);
    const ids = Int32Array.from([3, 0, 10, 5, 11, 2]);
    const out = arg(9, [2, 3, 7]);
    const [got] = await runOne(gatherKernel({ table: arg(0, [11, 7]), ids: arg(1, [2, 3], { dtype: 'i32' }), out }), [{ id: 0, data: table }, { id: 1, data: ids }], [{ arg: out, words: 42 }]);
    const ref = Array.from({ length: 42 }, (_, i) => {
      const id = ids[Math.floor(i / 7)];
      return id < 11 ? table[id * 7 + (i % 7)] : 0;
    });
    expect(relError(got, ref)).toBe(0);
  });

  it('scatters two senses into the prompt rows named by a host-built routing table', { timeout: 180_000 }, async () => {
    const [B, S, H, V] = [2, 9, 5, 20];
    const placeholders = [
      { sense: 'image', tokenId: 17, tokens: 3 },
      { sense: 'audio', tokenId: 18, tokens: 2 },
    ];
    const ids = Int32Array.from([1, 17, 17, 17, 4, 18, 18, 5, 6, 18, 2, 17, 3, 17, 18, 17, 9, 8]);
    const routes = buildZipRoutes({ kind: 'zip_routes', ids: 'input_ids', placeholders, target: { name: 'r', buffer: 0, dtype: 'i32', shape: [B, S, 2], view: { shape: [B, S, 2], strides: [S * 2, 2, 1], offset: 0 } } }, ids, B, S);
    const table = randomFloats(V * H, 121);
    const image = randomFloats(B * 3 * H, 122);
    const audio = randomFloats(B * 2 * H, 123);
    const embeds = randomFloats(B * S * H, 124);
    const expected = (base: (b: number, p: number, h: number) => number): number[] => {
      const seen = [0, 0, 0, 0];
      return Array.from({ length: B * S * H }, (_, i) => {
        const [b, p, h] = unravelIndex(i, [B, S, H]);
        const id = ids[b * S + p];
        const key = id === 17 ? b * 2 : id === 18 ? b * 2 + 1 : -1;
        if (h === 0 && key >= 0) seen[key]++;
        const n = key >= 0 ? seen[key] - 1 : 0;
        if (id === 17) return image[(b * 3 + n) * H + h];
        if (id === 18) return audio[(b * 2 + n) * H + h];
        return base(b, p, h);
      });
    };
    const out = arg(9, [B, S, H]);
    const senses = [arg(2, [B, 3, H]), arg(3, [B, 2, H])];
    const inputs = [{ id: 1, data: routes }, { id: 2, data: image }, { id: 3, data: audio }];
    const [fromTable] = await runOne(zipScatterKernel({ base: { kind: 'table', table: arg(0, [V, H]) }, routes: arg(1, [B, S, 2], { dtype: 'i32' }), senses, out }), [{ id: 0, data: table }, ...inputs], [{ arg: out, words: B * S * H }]);
    expect(relError(fromTable, expected((b, p, h) => table[ids[b * S + p] * H + h]))).toBe(0);
    const [fromEmbeds] = await runOne(zipScatterKernel({ base: { kind: 'embeds', embeds: arg(4, [B, S, H]) }, routes: arg(1, [B, S, 2], { dtype: 'i32' }), senses, out }), [{ id: 4, data: embeds }, ...inputs], [{ arg: out, words: B * S * H }]);
    expect(relError(fromEmbeds, expected((b, p, h) => embeds[(b * S + p) * H + h]))).toBe(0);
  });

  it('the routing table rejects a sample whose placeholder count differs from the sense tokens', () => {
    const step = { kind: 'zip_routes' as const, ids: 'input_ids', placeholders: [{ sense: 'image', tokenId: 7, tokens: 2 }], target: { name: 'r', buffer: 0, dtype: 'i32' as const, shape: [1, 4, 2], view: { shape: [1, 4, 2], strides: [8, 2, 1], offset: 0 } } };
    expect(() => buildZipRoutes(step, Int32Array.from([7, 1, 2, 3]), 1, 4)).toThrow(ZipperMismatchError);
    expect(() => buildZipRoutes(step, Int32Array.from([7, 1, 2, 3]), 1, 4)).toThrow(/sample 0 holds 1 'image' placeholder tokens.*produces 2/);
  });
});

describe('rope and causal-mask kernels', () => {
  it('rotates [2, 3, 5, 10] with partial rotary 6 at large positions, reading a transposed view', { timeout: 180_000 }, async () => {
    const [B, H, S, D] = [2, 3, 5, 10];
    const stored = randomFloats(B * S * H * D, 131); // [B, S, H, D]
    const x = arg(0, [B, H, S, D], { view: { shape: [B, H, S, D], strides: [S * H * D, D, H * D, 1] } });
    const pos = randomInts(B * S, 132, 0, 3000);
    const out = arg(9, [B, H, S, D]);
    const [got] = await runOne(ropeKernel({ x, positions: arg(1, [B, S], { dtype: 'i32' }), out, theta: 10000, rotaryDim: 6 }), [{ id: 0, data: stored }, { id: 1, data: pos }], [{ arg: out, words: B * H * S * D }]);
    const ref = new Float64Array(B * H * S * D);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let s = 0; s < S; s++) {
          const head = Array.from({ length: D }, (_, d) => stored[((b * S + s) * H + h) * D + d]);
          ref.set(ropeRef(head, pos[b * S + s], 10000, 6), ((b * H + h) * S + s) * D);
        }
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
  });

  it('builds the causal + padding mask [2, 1, 4, 6] at query offset 2', { timeout: 180_000 }, async () => {
    const mask = Int32Array.from([0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1]);
    const out = arg(9, [2, 1, 4, 6]);
    const [got] = await runOne(causalMaskKernel({ attentionMask: arg(0, [2, 6], { dtype: 'i32' }), out, negative: -1e9, queryOffset: 2 }), [{ id: 0, data: mask }], [{ arg: out, words: 48 }]);
    const ref = Array.from({ length: 48 }, (_, i) => {
      const [b, , q, k] = unravelIndex(i, [2, 1, 4, 6]);
      return k <= q + 2 && mask[b * 6 + k] !== 0 ? 0 : Math.fround(-1e9);
    });
    expect([...got]).toEqual(ref);
  });
});
