/**
 * The proof of semantics for `--decode`: one fused decode step over a KV cache of `past`
 * positions gives the logits of the last row of an unfused prefill over `past + 1` positions,
 * and leaves in its caches the keys and values that prefill computed (the new row written in
 * place by the QKV matmul). The unfused decode plan (no fusion passes) agrees as well.
 */
import { describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import { decoderAttentionSites } from '../../compiler/plan/lower.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import type { PlanBindings } from '../../compiler/plan/types.js';
import { randomFeeds, relativeError } from './harness.js';
import { graphOf, gpt2Whisper, llamaOnly, tinyAvlm } from './models.js';
import { sliceAxis } from './semantics.js';

const MODELS = [
  ['llama + CLIP video + BEATs audio', tinyAvlm],
  ['gpt2 + Whisper', gpt2Whisper],
  ['llama alone (GQA)', () => llamaOnly(2)],
] as const;

describe('a decode step equals the last row of the prefill', () => {
  for (const [name, make] of MODELS) {
    it(name, () => {
      const m = make();
      const graph = graphOf(m);
      const batch = 2;
      const seq = m.sequenceLength;
      const past = seq - 1;
      const feeds = randomFeeds(graph, m, { batch, seq, seed: 21, leftPad: 2 });
      const prefill = interpretGraph(graph, { batch, seq }, feeds);
      const sites = decoderAttentionSites(graph);
      const inputs = new Map<string, Tensor>([
        ['input_ids', sliceAxis(feeds.inputs.get('input_ids')!, 1, past, seq)],
        ['position_ids', sliceAxis(feeds.inputs.get('position_ids')!, 1, past, seq)],
        ['attention_mask', feeds.inputs.get('attention_mask')!],
      ]);
      for (const [id, layer] of sites.keys) inputs.set(`past_key_${layer}`, sliceAxis(prefill.values.get(id)!, 2, 0, past));
      for (const [id, layer] of sites.values) inputs.set(`past_value_${layer}`, sliceAxis(prefill.values.get(id)!, 2, 0, past));
      const bindings: PlanBindings = { batch, text: m.textTokens - 1, seq: past, past, queries: 1 };
      const expected = sliceAxis(prefill.outputs.get('logits')!, 1, past, seq);
      for (const passes of [undefined, []]) {
        const { plan } = planGraph(graph, bindings, { mode: 'decode', attentionBlockSize: 8, ...(passes === undefined ? {} : { passes }) });
        const out = interpretPlan(plan, { inputs, weights: feeds.weights });
        expect(relativeError(out.get('logits')!, expected)).toBeLessThan(1e-4);
        for (const [id, layer] of sites.keys) expect(relativeError(out.get(`present_key_${layer}`)!, prefill.values.get(id)!)).toBeLessThan(1e-4);
        for (const [id, layer] of sites.values) expect(relativeError(out.get(`present_value_${layer}`)!, prefill.values.get(id)!)).toBeLessThan(1e-4);
      }
    }, 120_000);
  }
});
