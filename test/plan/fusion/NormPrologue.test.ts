import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { countKinds, fused, llamaOnly, upTo } from '../models.js';

describe('NormPrologue', () => {
  it('folds every RMSNorm of a LLaMA into the matmul that reads it (QKV, gate/up, lm_head)', () => {
    const g = fused(llamaOnly(2), upTo('NormPrologue'));
    expect(countKinds(g.kernels).norm ?? 0).toBe(0);
    const withPrologue = g.kernels.filter((k) => k.kind === 'matmul' && k.params.prologue !== null) as Kernel<'matmul'>[];
    expect(withPrologue.map((k) => k.scope.split('.').slice(-1)[0])).toEqual(['self_attn', 'mlp', 'self_attn', 'mlp', 'lm_head']);
    expect(withPrologue.every((k) => k.params.prologue?.fn === 'rmsnorm' && k.params.prologue.beta === null)).toBe(true);
  });
});
