import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { countKinds, fused, tinyAvlm, upTo } from '../models.js';

describe('ZipperScatter', () => {
  it('makes the token lookup and the zipper one scatter kernel reading both senses', () => {
    const g = fused(tinyAvlm(), upTo('ZipperScatter'));
    const kinds = countKinds(g.kernels);
    expect(kinds['op:zip'] ?? 0).toBe(0);
    expect(kinds.embed_zip).toBe(1);
    const k = g.kernels.find((x) => x.kind === 'embed_zip') as Kernel<'embed_zip'>;
    expect(k.roles).toEqual(['table', 'ids', 'sense0', 'sense1']);
    expect(k.params.placeholders.map((p) => p.sense)).toEqual(['vision', 'audio']);
  });
});
