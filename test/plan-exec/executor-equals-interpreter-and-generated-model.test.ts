/**
 * The tfjs plan executor computes what the plan says: for a tiny model of each family (LLaMA
 * decoder with CLIP video and BEATs audio; GPT-2 with a SigLIP image; LLaMA with Whisper audio),
 * on wasm and cpu, its logits equal the plan's reference interpreter and the generated model's
 * op-by-op forward (the same seeded weights and inputs) within 1e-4 of the output's scale; it runs
 * exactly the plan's kernels; and every tensor a forward makes is freed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expandPrompt, loadOpByOp, type RunInputs } from '../../cli/commands/run.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Feeds } from '../../compiler/plan/interpret/ir.js';
import { initBackend, tf } from '../../runtime/index.js';
import { createPlanExecutor } from '../../runtime/plan/index.js';
import { hostInputs, type PlannedModel, plannedModel, relativeError, senseMedia, testFeeds } from './harness.js';

const FAMILIES = [
  { family: 'llama + CLIP video + BEATs audio', spec: 'specs/tiny_avlm.mimo', id: 'tiny_avlm' },
  { family: 'gpt2 + SigLIP image', spec: 'specs/tiny_gpt2.mimo', id: 'tiny_gpt2' },
  { family: 'llama + Whisper audio', spec: 'test/plan-exec/fixtures/tiny_whisper.mimo', id: 'tiny_whisper_lm' },
] as const;

const TOLERANCE = 1e-4;

describe.each(FAMILIES)('$family ($id)', ({ spec, id }) => {
  let planned: PlannedModel;
  let feeds: Feeds;
  let reference: Float32Array;

  beforeAll(async () => {
    planned = await plannedModel(spec, id);
    feeds = testFeeds(planned.graph, planned.model, planned.plan, 11);
    reference = interpretPlan(planned.plan, feeds).get('logits')?.data as Float32Array;
  });

  describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
    let logits: Float32Array;
    let kernels: number;
    let leaked: number[];

    beforeAll(async () => {
      await initBackend(backend);
      const start = tf.memory().numTensors;
      const executor = createPlanExecutor(planned.plan, feeds.weights);
      const loaded = tf.memory().numTensors;
      const first = await executor.forward(hostInputs(feeds));
      logits = (await first.outputs.logits.data()) as Float32Array;
      kernels = first.kernels;
      tf.dispose(Object.values(first.outputs));
      const afterFirst = tf.memory().numTensors;
      const second = executor.forwardSync(hostInputs(feeds));
      tf.dispose(Object.values(second.outputs));
      const afterSecond = tf.memory().numTensors;
      executor.dispose();
      leaked = [afterFirst - loaded, afterSecond - loaded, tf.memory().numTensors - start];
    });

    it('equals the reference interpreter within 1e-4 of the output scale', () => {
      expect(logits.length).toBe(reference.length);
      expect(relativeError(logits, reference)).toBeLessThan(TOLERANCE);
    });

    it("equals the generated model's op-by-op forward within 1e-4", async () => {
      const { model, graph, plan } = planned;
      const ids = feeds.inputs.get(plan.inputs.find((i) => i.role === 'input_ids')?.name ?? '')?.data as Int32Array;
      const media = senseMedia(graph, feeds);
      const inputs: RunInputs = { model, graph, weights: feeds.weights, expanded: ids, media, textTokens: plan.bindings.text };
      const generated = await loadOpByOp(await import('../../runtime/index.js'), inputs);
      try {
        const out = generated.forward();
        const data = await out.data();
        out.dispose();
        expect(relativeError(logits, data)).toBeLessThan(TOLERANCE);
      } finally {
        await generated.dispose();
        tf.dispose([...media.values()].map((m) => m.tensor));
      }
    });

    it("runs each of the plan's kernels once per forward", () => {
      expect(kernels).toBe(planned.plan.kernels.length);
      expect(kernels).toBe(planned.plan.summary.kernels);
    });

    it('frees every tensor a forward makes, and everything at dispose', () => {
      expect(leaked).toEqual([0, 0, 0]);
    });
  });
});

describe('expandPrompt', () => {
  let planned: PlannedModel;
  beforeAll(async () => {
    planned = await plannedModel('specs/tiny_avlm.mimo', 'tiny_avlm');
  });

  it('repeats each placeholder once per embedding of its sense', () => {
    const [vision, audio] = planned.model.senses;
    const ids = expandPrompt(planned.model, [1, vision.token.id, 5, audio.token.id, 7]);
    expect(ids.length).toBe(3 + vision.tokens + audio.tokens);
    expect(ids.filter((x) => x === vision.token.id).length).toBe(vision.tokens);
    expect(ids.filter((x) => x === audio.token.id).length).toBe(audio.tokens);
    expect([ids[0], ids[1 + vision.tokens], ids[ids.length - 1]]).toEqual([1, 5, 7]);
  });
});
