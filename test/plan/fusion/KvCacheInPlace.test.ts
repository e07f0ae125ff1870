import { describe, expect, it } from 'vitest';
import { countKinds, fused, llamaOnly, upTo } from '../models.js';

describe('KvCacheInPlace', () => {
  it('writes the new key and value rows straight into the persistent caches (no concat)', () => {
    const m = llamaOnly(2);
    const g = fused(m, upTo('KvCacheInPlace'), 'decode');
    expect(countKinds(g.stageKernels('forward'))['op:concat'] ?? 0).toBe(0);
    const caches = g.values.filter((v) => v.def.kind === 'cache');
    expect(caches.map((c) => c.shape)).toEqual(Array.from({ length: 4 }, () => [1, 2, m.sequenceLength + 1, 16]));
    const placed = g.values.filter((v) => v.placement !== undefined);
    expect(placed).toHaveLength(4);
    // Row `past` of the cache: offset past·head_dim in the first head of the first sample.
    for (const v of placed) expect(v.placement?.view.offset).toBe(m.sequenceLength * 16);
    expect(g.outputs.filter((o) => o.name.startsWith('present_')).every((o) => g.value(o.value).def.kind === 'cache')).toBe(true);
  });

  it('does nothing in prefill', () => {
    const g = fused(llamaOnly(), upTo('KvCacheInPlace'));
    expect(g.values.some((v) => v.def.kind === 'cache')).toBe(false);
  });
});
