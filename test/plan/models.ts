/**
 * Models and helpers for the plan tests: the IR tests' family models, a bare LLaMA decoder
 * (one layer, GQA), and graphs fused up to a given pass of the default order.
 */
import { buildGraph } from '../../compiler/ir/index.js';
import type { Graph } from '../../compiler/ir/types.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { FUSION_PASSES, type FusionPass, runPasses } from '../../compiler/plan/fusion/index.js';
import type { AnyKernel, KernelGraph } from '../../compiler/plan/graph.js';
import { lowerGraph } from '../../compiler/plan/lower.js';
import type { PlanBindings, PlanMode } from '../../compiler/plan/types.js';
import { llamaDecoder, model } from '../analyze/models.js';

export { familyModels, gpt2Siglip, gpt2Whisper, seedAvlm, tinyAvlm } from '../ir/models.js';

/** A LLaMA decoder without senses: `layers` layers, hidden 64, 4 heads over 2 KV heads, SwiGLU 128. */
export function llamaOnly(layers = 1, extra: Partial<Parameters<typeof llamaDecoder>[0]> = {}): CheckedModel {
  return model(llamaDecoder({ layers, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 256, vocabTotal: 256, context: 256, ...extra }), [], { id: 'llama_only', textTokens: 12, dtype: 'float32' });
}

export function graphOf(m: CheckedModel): Graph {
  const { graph, diagnostics } = buildGraph(m);
  if (graph === undefined) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return graph;
}

export function bindingsOf(m: CheckedModel, mode: PlanMode = 'prefill', batch = 1): PlanBindings {
  const seq = m.sequenceLength;
  return { batch, text: m.textTokens, seq, past: mode === 'decode' ? seq : 0, queries: mode === 'decode' ? 1 : seq };
}

/** Lowers a model and runs `passes` (default: the default order). */
export function fused(m: CheckedModel, passes: readonly FusionPass[] = FUSION_PASSES, mode: PlanMode = 'prefill', batch = 1): KernelGraph {
  const g = lowerGraph(graphOf(m), { mode, batch, seq: m.sequenceLength }).graph;
  runPasses(g, { mode, attentionBlockSize: 16 }, passes);
  return g;
}

/** The default order up to and including the named pass. */
export function upTo(name: string): readonly FusionPass[] {
  const i = FUSION_PASSES.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`no pass ${name}`);
  return FUSION_PASSES.slice(0, i + 1);
}

/** The default order up to but excluding the named pass. */
export function before(name: string): readonly FusionPass[] {
  return upTo(name).slice(0, -1);
}

/** Forward kernels whose scope matches. */
export function kernelsIn(g: KernelGraph, scope: RegExp): AnyKernel[] {
  return g.stageKernels('forward').filter((k) => scope.test(k.scope));
}

export function countKinds(kernels: readonly AnyKernel[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kernels) {
    const key = k.kind === 'op' ? `op:${k.params.op}` : k.kind;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export const LLAMA_LAYER0 = /^language_model\.model\.layers\.0(\.|$)/;
