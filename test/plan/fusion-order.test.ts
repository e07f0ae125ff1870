/**
 * The pass order in compiler/plan/fusion/index.ts is deliberate: each case runs the default
 * order, then the same passes with one pair swapped, and shows the swap loses the fusion.
 */
import { describe, expect, it } from 'vitest';
import {
  AttentionFusion,
  ElementwiseChains,
  FUSION_PASSES,
  GatedEpilogue,
  MatmulEpilogue,
  NormFusion,
  NormPrologue,
  PackSiblingMatmuls,
  RopeIntoMatmul,
  type FusionPass,
} from '../../compiler/plan/fusion/index.js';
import type { Kernel } from '../../compiler/plan/graph.js';
import { LLAMA_LAYER0, countKinds, fused, kernelsIn, llamaOnly, tinyAvlm } from './models.js';

/** The default order with `a` moved to just after `b`. */
function moveAfter(a: FusionPass, b: FusionPass): FusionPass[] {
  const rest = FUSION_PASSES.filter((p) => p !== a);
  const i = rest.indexOf(b);
  return [...rest.slice(0, i + 1), a, ...rest.slice(i + 1)];
}

const CLIP_LAYER0 = /^vision_tower\.vision_model\.encoder\.layers\.0(\.|$)/;

describe('fusion pass order', () => {
  it('names every pass once', () => {
    expect(new Set(FUSION_PASSES.map((p) => p.name)).size).toBe(FUSION_PASSES.length);
  });

  it('gives a LLaMA layer 5 kernels: QKV(+norm, rope), attention, o_proj(+residual), gate/up(+norm, SwiGLU), down(+residual)', () => {
    const layer = kernelsIn(fused(llamaOnly()), LLAMA_LAYER0);
    expect(layer.map((k) => k.kind)).toEqual(['matmul', 'attention', 'matmul', 'matmul', 'matmul']);
  });

  it('AttentionFusion before MatmulEpilogue: the other way round the scale and mask go into the q·kᵀ matmul and no attention kernel forms', () => {
    const good = kernelsIn(fused(llamaOnly()), LLAMA_LAYER0);
    const bad = kernelsIn(fused(llamaOnly(), moveAfter(AttentionFusion, MatmulEpilogue)), LLAMA_LAYER0);
    expect(countKinds(good).attention).toBe(1);
    expect(countKinds(bad).attention ?? 0).toBe(0);
    expect(bad.length).toBeGreaterThan(good.length);
  });

  it('PackSiblingMatmuls before MatmulEpilogue: the other way round CLIP’s biased q, k, v stay three matmuls', () => {
    const qkvParts = (passes: readonly FusionPass[]): number[] =>
      (kernelsIn(fused(tinyAvlm(), passes), CLIP_LAYER0).filter((k) => k.kind === 'matmul' && k.scope.endsWith('self_attn')) as Kernel<'matmul'>[]).map((k) => k.params.parts.length);
    expect(qkvParts(FUSION_PASSES)).toEqual([3]);
    expect(kernelsIn(fused(tinyAvlm(), moveAfter(PackSiblingMatmuls, MatmulEpilogue)), CLIP_LAYER0).filter((k) => k.kind === 'matmul' && /[qkv]_proj$/.test(k.scope))).toHaveLength(3);
  });

  it('MatmulEpilogue before ElementwiseChains: the other way round bias + activation become their own kernel and fc1 is bare (ORT’s Gemm vs BiasGelu lesson)', () => {
    const good = kernelsIn(fused(tinyAvlm()), CLIP_LAYER0);
    const bad = kernelsIn(fused(tinyAvlm(), moveAfter(MatmulEpilogue, ElementwiseChains)), CLIP_LAYER0);
    expect(countKinds(good).elementwise ?? 0).toBe(0);
    expect(countKinds(bad).elementwise).toBeGreaterThan(0);
    expect(bad.length).toBeGreaterThan(good.length);
  });

  it('MatmulEpilogue before NormFusion: the other way round residual adds go into norms that must write the sum, so the norms cannot become prologues', () => {
    const good = kernelsIn(fused(llamaOnly(2)), /^language_model\.model\.layers\.1(\.|$)/);
    const bad = kernelsIn(fused(llamaOnly(2), moveAfter(NormFusion, PackSiblingMatmuls)), /^language_model\.model\.layers\.1(\.|$)/);
    expect(countKinds(good).norm ?? 0).toBe(0);
    expect(countKinds(bad).norm).toBe(2);
    expect(bad.length).toBe(good.length + 2);
  });

  it('PackSiblingMatmuls before NormPrologue: the other way round the norm has three readers (q, k, v) and stays a kernel', () => {
    const bad = kernelsIn(fused(llamaOnly(), moveAfter(PackSiblingMatmuls, NormPrologue)), LLAMA_LAYER0);
    expect(countKinds(bad).norm).toBe(2);
  });

  it('MatmulEpilogue before GatedEpilogue: the other way round silu is not yet in the gate output and SwiGLU’s product stays a kernel', () => {
    const bad = kernelsIn(fused(llamaOnly(), moveAfter(GatedEpilogue, PackSiblingMatmuls)), LLAMA_LAYER0);
    expect(countKinds(bad).elementwise).toBe(1);
    expect(bad).toHaveLength(6);
  });

  it('MatmulEpilogue before RopeIntoMatmul: the other way round a q/k bias sits between the matmul and the rotation, which stays a kernel', () => {
    const biased = (): ReturnType<typeof llamaOnly> => llamaOnly(1, { attentionBias: true });
    const good = kernelsIn(fused(biased()), LLAMA_LAYER0);
    const bad = kernelsIn(fused(biased(), moveAfter(RopeIntoMatmul, PackSiblingMatmuls)), LLAMA_LAYER0);
    expect(countKinds(good)['op:rope'] ?? 0).toBe(0);
    expect(countKinds(bad)['op:rope']).toBe(2);
  });
});
