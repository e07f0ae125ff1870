import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { LLAMA_LAYER0, fused, kernelsIn, llamaOnly, tinyAvlm, upTo } from '../models.js';

describe('PackSiblingMatmuls', () => {
  it('packs q, k, v into one matmul and gate, up into another, with load-time weight concats', () => {
    const g = fused(llamaOnly(), upTo('PackSiblingMatmuls'));
    const packed = kernelsIn(g, LLAMA_LAYER0).filter((k) => k.kind === 'matmul') as Kernel<'matmul'>[];
    const widths = packed.map((k) => k.params.parts.map((p) => p.end - p.start));
    expect(widths).toEqual([
      [64, 32, 32],
      [128, 128],
    ]);
    expect(packed[0].params.parts.map((p) => p.name.split('.').slice(-2, -1)[0])).toEqual(['q_proj', 'k_proj', 'v_proj']);
    const concats = g.stageKernels('prepare').filter((k) => k.kind === 'op' && k.params.op === 'concat' && LLAMA_LAYER0.test(k.scope));
    expect(concats).toHaveLength(2);
  });

  it('packs biased CLIP projections too (bias adds are still separate ops then)', () => {
    const g = fused(tinyAvlm(), upTo('PackSiblingMatmuls'));
    const qkv = kernelsIn(g, /^vision_tower\.vision_model\.encoder\.layers\.0\.self_attn$/).filter((k) => k.kind === 'matmul') as Kernel<'matmul'>[];
    expect(qkv.map((k) => k.params.parts.length)).toEqual([3]);
  });
});
