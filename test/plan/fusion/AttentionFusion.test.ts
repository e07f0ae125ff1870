import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { LLAMA_LAYER0, countKinds, fused, kernelsIn, llamaOnly, tinyAvlm, upTo } from '../models.js';

describe('AttentionFusion', () => {
  it('makes one causal GQA flash kernel of a LLaMA self-attention', () => {
    const g = fused(llamaOnly(), upTo('AttentionFusion'));
    const layer = kernelsIn(g, LLAMA_LAYER0);
    const kinds = countKinds(layer);
    expect(kinds.attention).toBe(1);
    for (const op of ['softmax', 'repeat']) expect(kinds[`op:${op}`] ?? 0).toBe(0);
    // Only the seven projections are matmuls still: q·kᵀ and p·v are inside the kernel.
    expect(kinds['op:matmul']).toBe(7);
    const a = layer.find((k) => k.kind === 'attention') as Kernel<'attention'>;
    expect(a.params).toMatchObject({ heads: 4, kvHeads: 2, group: 2, headDim: 16, queries: 12, keys: 12, bias: null });
    expect(a.params.scale).toBeCloseTo(0.25, 12);
    expect(a.params.causal).toMatchObject({ queryOffset: 0, negative: -1e9 });
    // The shared causal mask is gone: the kernel reads the attention mask itself.
    expect(countKinds(g.kernels)['op:causal_mask'] ?? 0).toBe(0);
  });

  it('passes BEATs’ gated relative-position bias as an additive bias operand', () => {
    const g = fused(tinyAvlm(), upTo('AttentionFusion'));
    const beats = kernelsIn(g, /^audio_tower\.encoder\.layers\.0\./).filter((k) => k.kind === 'attention') as Kernel<'attention'>[];
    expect(beats).toHaveLength(1);
    expect(beats[0].params.bias).not.toBeNull();
    expect(beats[0].params.causal).toBeNull();
  });

  it('attends the new token over past + 1 cached keys in decode', () => {
    const m = llamaOnly();
    const g = fused(m, upTo('AttentionFusion'), 'decode');
    const a = g.kernels.find((k) => k.kind === 'attention') as Kernel<'attention'>;
    expect(a.params.queries).toBe(1);
    expect(a.params.keys).toBe(m.sequenceLength + 1);
    expect(a.params.causal?.queryOffset).toBe(m.sequenceLength);
  });
});
