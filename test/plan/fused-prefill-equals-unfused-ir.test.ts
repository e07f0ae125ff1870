/**
 * The proof of semantics for prefill: the unfused IR run node by node (interpret/ir.ts) and the
 * fused plan run kernel by kernel, each fused kind by its own algorithm, out of the planned
 * arena (interpret/plan.ts), agree within 1e-4 relative on random weights and inputs, for every
 * family: LLaMA + CLIP video + BEATs audio, GPT-2 + Whisper, GPT-2 + SigLIP (pooled), and a
 * bare LLaMA, with two samples, the second left-padded.
 */
import { describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import { randomFeeds, relativeError } from './harness.js';
import { bindingsOf, graphOf, gpt2Siglip, gpt2Whisper, llamaOnly, tinyAvlm } from './models.js';

const MODELS = [
  ['llama + CLIP video + BEATs audio', tinyAvlm],
  ['gpt2 + Whisper (affine projector)', gpt2Whisper],
  ['gpt2 (untied) + SigLIP pooled', gpt2Siglip],
  ['llama alone (GQA)', () => llamaOnly(2)],
] as const;

describe('fused prefill plans compute what the unfused IR computes', () => {
  for (const [name, make] of MODELS) {
    it(name, () => {
      const m = make();
      const graph = graphOf(m);
      const batch = 2;
      const seq = m.sequenceLength;
      const feeds = randomFeeds(graph, m, { batch, seq, seed: 11, leftPad: 3 });
      const expected = interpretGraph(graph, { batch, seq }, feeds).outputs.get('logits');
      // Small key blocks so the online softmax rescales across several blocks.
      const { plan } = planGraph(graph, bindingsOf(m, 'prefill', batch), { attentionBlockSize: 8 });
      expect(plan.summary.kernels).toBeLessThan(plan.summary.ops_unfused / 2);
      const actual = interpretPlan(plan, feeds).get('logits');
      expect(actual).toBeDefined();
      expect(relativeError(actual!, expected!)).toBeLessThan(1e-4);
    }, 120_000);
  }

  it('also after every prefix of the pass order (each pass preserves semantics)', async () => {
    const { FUSION_PASSES } = await import('../../compiler/plan/fusion/index.js');
    const m = gpt2Siglip();
    const graph = graphOf(m);
    const seq = m.sequenceLength;
    const feeds = randomFeeds(graph, m, { batch: 1, seq, seed: 5 });
    const expected = interpretGraph(graph, { batch: 1, seq }, feeds).outputs.get('logits')!;
    for (let n = 0; n <= FUSION_PASSES.length; n++) {
      const { plan } = planGraph(graph, bindingsOf(m), { passes: FUSION_PASSES.slice(0, n), attentionBlockSize: 4 });
      expect(relativeError(interpretPlan(plan, feeds).get('logits')!, expected), `after ${n} passes`).toBeLessThan(1e-4);
    }
  }, 120_000);

  it('notices a wrong kernel: a plan with one epilogue constant changed disagrees', () => {
    const m = llamaOnly(1);
    const graph = graphOf(m);
    const seq = m.sequenceLength;
    const feeds = randomFeeds(graph, m, { batch: 1, seq, seed: 3 });
    const expected = interpretGraph(graph, { batch: 1, seq }, feeds).outputs.get('logits')!;
    const { plan } = planGraph(graph, bindingsOf(m));
    const attention = plan.kernels.find((k) => k.kind === 'attention');
    if (attention?.kind !== 'attention') throw new Error('no attention kernel');
    const broken = { ...plan, kernels: plan.kernels.map((k) => (k === attention ? { ...attention, params: { ...attention.params, scale: attention.params.scale * 1.01 } } : k)) };
    expect(relativeError(interpretPlan(broken, feeds).get('logits')!, expected)).toBeGreaterThan(1e-4);
  });
});
