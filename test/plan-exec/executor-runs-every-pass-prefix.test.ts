/**
 * Every stage of fusion runs: plans made with each prefix of the pass order (from one `op` kernel
 * per IR op — softmax, transpose, repeat, rope, causal_mask, gather, zip as ops — to the fully fused
 * plan) all execute on tfjs and equal the unfused IR interpreter within 1e-4 (wasm).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSION_PASSES, planGraph } from '../../compiler/plan/index.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import type { Feeds } from '../../compiler/plan/interpret/ir.js';
import { initBackend, tf } from '../../runtime/index.js';
import { createPlanExecutor } from '../../runtime/plan/index.js';
import { hostInputs, type PlannedModel, plannedModel, relativeError, testFeeds } from './harness.js';

describe.each([
  { spec: 'specs/tiny_avlm.mimo', id: 'tiny_avlm' },
  { spec: 'specs/tiny_gpt2.mimo', id: 'tiny_gpt2' },
  { spec: 'test/plan-exec/fixtures/tiny_whisper.mimo', id: 'tiny_whisper_lm' },
])('$id', ({ spec, id }) => {
  let planned: PlannedModel;
  let feeds: Feeds;
  let reference: Float32Array;
  beforeAll(async () => {
    await initBackend('wasm');
    planned = await plannedModel(spec, id);
    feeds = testFeeds(planned.graph, planned.model, planned.plan, 21);
    const { batch, seq } = planned.plan.bindings;
    reference = interpretGraph(planned.graph, { batch, seq }, feeds).outputs.get('logits')?.data as Float32Array;
  });

  it.each(FUSION_PASSES.map((_, n) => n).concat([FUSION_PASSES.length]))('with the first %i passes', async (n) => {
    const { plan } = planGraph(planned.graph, planned.plan.bindings, { passes: FUSION_PASSES.slice(0, n) });
    const start = tf.memory().numTensors;
    const executor = createPlanExecutor(plan, feeds.weights);
    try {
      const out = await executor.forward(hostInputs(feeds));
      expect(out.kernels).toBe(plan.kernels.length);
      expect(relativeError(await out.outputs.logits.data(), reference)).toBeLessThan(1e-4);
      tf.dispose(Object.values(out.outputs));
    } finally {
      executor.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});
