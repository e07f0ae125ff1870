import { describe, expect, it } from 'vitest';
import { isPointwiseOpKernel } from '../../../compiler/plan/program.js';
import { fused, familyModels, kernelsIn, tinyAvlm } from '../models.js';

describe('ElementwiseChains', () => {
  it("computes BEATs' gate (σ-gates, grep_a, +2, × bias) as one elementwise kernel", () => {
    const g = fused(tinyAvlm());
    const gate = kernelsIn(g, /^audio_tower\.encoder\.layers\.0\.self_attn$/).filter((k) => k.kind === 'elementwise');
    expect(gate).toHaveLength(1);
    expect(gate[0].ir.length).toBeGreaterThanOrEqual(5);
  });

  it('leaves no pointwise op unfused in any family', () => {
    for (const [, make] of familyModels.slice(0, 3)) {
      const g = fused(make());
      expect(g.kernels.filter(isPointwiseOpKernel)).toEqual([]);
    }
  });
});
