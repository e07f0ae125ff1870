import { describe, expect, it } from 'vitest';
import { FoldViews } from '../../../compiler/plan/fusion/index.js';
import { applyViewOp, contiguousView, reshapeView, viewOffsets } from '../../../compiler/plan/view.js';
import { countKinds, fused, tinyAvlm } from '../models.js';

describe('FoldViews', () => {
  it('turns every reshape, transpose, slice and broadcast of the family graphs into a view', () => {
    const g = fused(tinyAvlm(), [FoldViews]);
    const kinds = countKinds(g.kernels);
    for (const op of ['reshape', 'transpose', 'slice', 'broadcast_to']) expect(kinds[`op:${op}`] ?? 0).toBe(0);
    expect(g.values.filter((v) => v.def.kind === 'alias').length).toBeGreaterThan(50);
  });

  it('reads merged heads of a transposed tensor through one strided view', () => {
    // [b=1, h=2, s=3, d=4] → transpose(0,2,1,3) → reshape [1, 3, 8]: strides cannot merge h and d,
    // so the view keeps the 4-d shape and the reader unravels its 3-d index over it.
    const t = applyViewOp(contiguousView([1, 2, 3, 4]), [1, 2, 3, 4], { op: 'transpose', perm: [0, 2, 1, 3] });
    expect(t).toBeDefined();
    const merged = applyViewOp(t!, [1, 3, 2, 4], { op: 'reshape', shape: [1, 3, 8] });
    expect(merged?.shape).toEqual([1, 3, 2, 4]);
    // Row 1 of the merged tensor is head 0 position 1, then head 1 position 1.
    expect([...viewOffsets(merged!)].slice(8, 16)).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
  });

  it('splits and merges contiguous axes exactly, and refuses what strides cannot say', () => {
    expect(reshapeView(contiguousView([2, 12]), [2, 3, 4])?.strides).toEqual([12, 4, 1]);
    const sliced = applyViewOp(contiguousView([4, 6]), [4, 6], { op: 'slice', axis: 1, start: 1, end: 5 });
    expect(reshapeView(sliced!, [16])).toBeUndefined();
    expect(reshapeView(sliced!, [4, 2, 2])?.strides).toEqual([6, 2, 1]);
  });
});
