import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { LLAMA_LAYER0, countKinds, fused, kernelsIn, llamaOnly, upTo } from '../models.js';

describe('RopeIntoMatmul', () => {
  it('rotates q and k heads in the QKV epilogue and leaves v alone', () => {
    const g = fused(llamaOnly(), upTo('RopeIntoMatmul'));
    const layer = kernelsIn(g, LLAMA_LAYER0);
    expect(countKinds(layer)['op:rope'] ?? 0).toBe(0);
    const qkv = layer.find((k) => k.kind === 'matmul' && k.params.parts.length === 3) as Kernel<'matmul'>;
    expect(qkv.params.outputs.map((o) => o.rope?.headDim ?? null)).toEqual([16, 16, null]);
    expect(qkv.roles).toContain('positions');
  });
});
