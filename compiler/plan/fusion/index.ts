/**
 * The fusion pass order — ONE list, because order decides what forms (a pass consumes the ops a
 * later pass would have matched; test/plan/fusion-order proves each constraint below by swapping).
 */
import type { KernelGraph } from '../graph.js';
import type { PassRecord } from '../types.js';
import { AttentionFusion } from './AttentionFusion.js';
import { ElementwiseChains } from './ElementwiseChains.js';
import { FoldViews } from './FoldViews.js';
import { GatedEpilogue } from './GatedEpilogue.js';
import { KvCacheInPlace } from './KvCacheInPlace.js';
import { MatmulEpilogue } from './MatmulEpilogue.js';
import { NormFusion } from './NormFusion.js';
import { NormPrologue } from './NormPrologue.js';
import { PackSiblingMatmuls } from './PackSiblingMatmuls.js';
import { PrepareWeights } from './PrepareWeights.js';
import { RopeIntoMatmul } from './RopeIntoMatmul.js';
import { ZipperScatter } from './ZipperScatter.js';
import type { FusionPass, PassContext } from './pass.js';

export type { FusionPass, PassContext } from './pass.js';

export const FUSION_PASSES: readonly FusionPass[] = [
  // 1. Views first: reshapes and transposes vanish, so every later pattern sees producers directly.
  FoldViews,
  // 2. Weight-only work (weight norm, bias tables) leaves the forward before anything matches on it.
  PrepareWeights,
  // 3. Attention before any epilogue: MatmulEpilogue would fold the scale and the mask into the
  //    q·kᵀ matmul and the attention pattern would be gone.
  AttentionFusion,
  // 4. Packing before epilogues: it packs bare matmuls, so a bias add fused into one projection
  //    would keep q, k and v apart.
  PackSiblingMatmuls,
  // 5. Epilogues (bias, activation, residual) before elementwise chains: otherwise bias+activation
  //    become their own kernel and the matmul is left bare (ORT's Gemm-before-BiasGelu lesson).
  MatmulEpilogue,
  // 6. SwiGLU: needs silu already in the gate output (5), merges gate and up outputs.
  GatedEpilogue,
  // 7. Rotary after epilogues (a q/k bias comes before the rotation), before the cache append.
  RopeIntoMatmul,
  // 8. Decode: the QKV matmul writes the new K/V row into the cache (needs the rotation in it, 7).
  KvCacheInPlace,
  // 9. Norms after epilogues: a residual add next to a matmul is cheaper in its epilogue (one
  //    write) than in the norm (a write of the sum and of the normed value).
  NormFusion,
  // 10. A norm read by one matmul becomes its prologue: after packing (one reader, not three) and
  //     after NormFusion (norms that must write the residual sum stay).
  NormPrologue,
  // 11. The zipper scatter (independent of the rest; before the chains so nothing else takes its gather).
  ZipperScatter,
  // 12. Whatever pointwise ops remain: one kernel per chain.
  ElementwiseChains,
];

export interface PassRun {
  readonly records: PassRecord[];
}

/** Runs passes in order, normalizing after each; records kernel counts before and after each. */
export function runPasses(g: KernelGraph, context: PassContext, passes: readonly FusionPass[] = FUSION_PASSES): PassRecord[] {
  const records: PassRecord[] = [];
  g.normalize();
  for (const pass of passes) {
    const before = g.stageKernels('forward').length;
    pass.run(g, context);
    g.normalize();
    records.push({ pass: pass.name, kernelsBefore: before, kernelsAfter: g.stageKernels('forward').length });
  }
  return records;
}

export {
  AttentionFusion,
  ElementwiseChains,
  FoldViews,
  GatedEpilogue,
  KvCacheInPlace,
  MatmulEpilogue,
  NormFusion,
  NormPrologue,
  PackSiblingMatmuls,
  PrepareWeights,
  RopeIntoMatmul,
  ZipperScatter,
};
