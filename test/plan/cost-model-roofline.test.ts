/**
 * The cost model: FLOPs and bytes by hand for a matmul, roofline time and its bound on two
 * devices, causal attention counting only the visited keys, and every device figure citing a source.
 */
import { describe, expect, it } from 'vitest';
import { type AnyResolvedKernel, kernelCost, visitedPairs } from '../../compiler/plan/cost.js';
import { DEVICES, TARGET_IDS } from '../../compiler/plan/devices.js';
import type { Operand, PlanBuffer } from '../../compiler/plan/types.js';
import { contiguousView } from '../../compiler/plan/view.js';

const buf = (id: number, shape: number[], kind: PlanBuffer['kind'] = 'activation'): PlanBuffer => ({ id, name: `b${id}`, kind, dtype: 'bfloat16', shape, bytes: shape.reduce((a, b) => a * b, 1) * 2 });
const op = (buffer: number, shape: number[], role: string): Operand => ({ buffer, shape, view: contiguousView(shape), role });

describe('cost model', () => {
  // [1, 512, 4096] · [4096, 4096]ᵀ in bfloat16.
  const buffers = [buf(0, [1, 512, 4096]), buf(1, [4096, 4096], 'weight'), buf(2, [1, 512, 4096])];
  const matmul: AnyResolvedKernel = {
    kind: 'matmul',
    params: { transposeA: false, transposeB: true, m: 512, n: 4096, k: 4096, batch: 1, prologue: null, parts: [{ name: 'w', start: 0, end: 4096 }], outputs: [{ width: 4096, program: [{ op: 'acc', part: 0 }], rope: null }] },
    inputs: [op(0, [1, 512, 4096], 'a'), op(1, [4096, 4096], 'b')],
    outputs: [op(2, [1, 512, 4096], 'out0')],
  };

  it('counts 2·M·N·K FLOPs and each operand once', () => {
    const c = kernelCost(matmul, buffers, DEVICES.h100);
    expect(c.flops).toBe(2 * 512 * 4096 * 4096);
    expect(c.bytes).toBe((512 * 4096 * 2 + 4096 * 4096) * 2);
  });

  it('is compute-bound on an H100 (bf16 tensor cores) and memory-bound on an M2', () => {
    const h100 = kernelCost(matmul, buffers, DEVICES.h100);
    expect(h100.bound).toBe('compute');
    expect(h100.ms).toBeCloseTo((2 * 512 * 4096 * 4096) / 989.4e12 * 1e3 + 4e-3, 9);
    const l4 = kernelCost(matmul, buffers, DEVICES.l4);
    expect(l4.ms).toBeGreaterThan(h100.ms);
  });

  it('counts the keys a causal flash loop visits', () => {
    expect(visitedPairs(4, 4, 0)).toBe(1 + 2 + 3 + 4);
    expect(visitedPairs(1, 9, 8)).toBe(9);
    expect(visitedPairs(3, 5, undefined)).toBe(15);
  });

  it('cites a source for every figure of every device', () => {
    for (const id of TARGET_IDS) {
      const d = DEVICES[id];
      for (const s of Object.values(d.sources)) expect(s.length).toBeGreaterThan(20);
      expect(d.bandwidth).toBeGreaterThan(0);
      expect(d.matrixFlops.bfloat16).toBeGreaterThanOrEqual(d.vectorFlops * 0.99);
    }
  });
});
