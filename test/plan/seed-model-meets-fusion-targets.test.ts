/**
 * The targets, measured on the plans (not timed): a LLaMA-style decoder layer in prefill
 * is at most 8 kernels; over the seed model (specs/llava_avlm.mimo's configuration) kernels are
 * at most 40% of the unfused ops and modeled bytes at most 50%; the arena is at most 60% of the
 * no-reuse sum and within 10% of the lower bound. bench/plan.mjs prints the same figures.
 */
import { describe, expect, it } from 'vitest';
import { planModel } from '../../compiler/plan/index.js';
import { fused, kernelsIn, llamaOnly, seedAvlm } from './models.js';

describe('fusion targets', () => {
  it('a LLaMA decoder layer in prefill is at most 8 kernels (5 here)', () => {
    const layers = Array.from({ length: 3 }, (_, i) => kernelsIn(fused(llamaOnly(3)), new RegExp(`^language_model\\.model\\.layers\\.${i}(\\.|$)`)).length);
    expect(layers).toEqual([5, 5, 5]);
  });

  it('the seed model: kernels ≤ 40% of ops, bytes ≤ 50%, arena ≤ 60% of no reuse and ≤ 110% of the lower bound', () => {
    const { plan, diagnostics } = planModel(seedAvlm());
    expect(diagnostics).toEqual([]);
    const s = plan!.summary;
    expect(s.ops_unfused).toBeGreaterThan(2000);
    expect(s.kernels / s.ops_unfused).toBeLessThanOrEqual(0.4);
    expect(s.bytes_fused / s.bytes_unfused).toBeLessThanOrEqual(0.5);
    expect(s.arena_bytes / s.naive_bytes).toBeLessThanOrEqual(0.6);
    expect(s.arena_bytes / s.lower_bound_bytes).toBeLessThanOrEqual(1.1);
    // Every decoder layer is the same five kernels.
    const perLayer = new Map<string, number>();
    for (const k of plan!.kernels) {
      const m = /^language_model\.model\.layers\.(\d+)(\.|$)/.exec(k.scope);
      if (m !== null) perLayer.set(m[1], (perLayer.get(m[1]) ?? 0) + 1);
    }
    expect(perLayer.size).toBe(32);
    expect(new Set(perLayer.values())).toEqual(new Set([5]));
  }, 120_000);
});
