import { describe, expect, it } from 'vitest';
import { isPersistent } from '../../../compiler/plan/fusion/PrepareWeights.js';
import { countKinds, fused, tinyAvlm, upTo } from '../models.js';

describe('PrepareWeights', () => {
  it("moves BEATs' weight norm and relative-position bias table to load time", () => {
    const g = fused(tinyAvlm(), upTo('PrepareWeights'));
    const prepared = countKinds(g.stageKernels('prepare'));
    expect(prepared['op:weight_norm']).toBe(1);
    expect(prepared['op:rel_pos_buckets']).toBe(1);
    expect(prepared['op:gather']).toBe(1);
    expect(countKinds(g.stageKernels('forward'))['op:weight_norm'] ?? 0).toBe(0);
  });

  it('leaves no forward kernel that reads only weights and constants', () => {
    const g = fused(tinyAvlm());
    for (const k of g.stageKernels('forward')) expect(k.inputs.every((v) => isPersistent(g, v))).toBe(false);
  });
});
