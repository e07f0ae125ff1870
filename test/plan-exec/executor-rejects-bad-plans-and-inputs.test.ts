/**
 * Bad input is a clear error, never a crash deep in tfjs: plans of another format or version,
 * operands outside their buffers, liveness that contradicts the kernels, missing or misshaped
 * weights, inputs of the wrong size, and prompts whose placeholders do not match their senses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../runtime/index.js';
import { PlanFormatError, PlanRunError, createPlanExecutor, parsePlan } from '../../runtime/plan/index.js';
import type { PlanJson } from '../../runtime/plan/index.js';
import { hostInputs, type PlannedModel, plannedModel, testFeeds } from './harness.js';

function mutated(plan: PlanJson, change: (copy: { -readonly [K in keyof PlanJson]: PlanJson[K] }) => void): PlanJson {
  const copy = JSON.parse(JSON.stringify(plan)) as { -readonly [K in keyof PlanJson]: PlanJson[K] };
  change(copy);
  return copy;
}

describe('the tfjs plan executor rejects what it cannot run', () => {
  let planned: PlannedModel;
  let plan: PlanJson;
  beforeAll(async () => {
    await initBackend('cpu');
    planned = await plannedModel('specs/tiny_gpt2.mimo', 'tiny_gpt2');
    plan = planned.plan;
  });

  it('parses plan.json text and rejects other formats, versions and broken JSON', () => {
    expect(parsePlan(JSON.stringify(plan)).kernels.length).toBe(plan.kernels.length);
    expect(() => parsePlan('{')).toThrow(PlanFormatError);
    expect(() => parsePlan({ ...plan, format: 'onnx' })).toThrow(/format is "onnx"/);
    expect(() => parsePlan({ ...plan, version: 2 })).toThrow(/version is 2; this executor reads version 1/);
    expect(() => parsePlan(mutated(plan, (p) => ((p.kernels[0] as { kind: string }).kind = 'fft')))).toThrow(/unknown kind "fft"/);
  });

  it('rejects an operand that reads past its buffer', () => {
    const bad = mutated(plan, (p) => {
      const view = p.kernels[1].inputs[0].view as { offset: number };
      view.offset += 1_000_000;
    });
    expect(() => parsePlan(bad)).toThrow(/reads past the end of buffer/);
  });

  it('rejects liveness that ends before a kernel reads the buffer', () => {
    const bad = mutated(plan, (p) => {
      const k = p.kernels[3];
      const b = p.buffers[k.inputs[0].buffer] as { live?: [number, number] };
      if (b.live === undefined) throw new Error('expected an arena buffer');
      b.live = [b.live[0], 2];
    });
    expect(() => createPlanExecutor(bad, testFeeds(planned.graph, planned.model, bad as never, 1).weights)).toThrow(PlanFormatError);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('names a missing or misshaped weight and frees what it loaded', () => {
    const weights = testFeeds(planned.graph, planned.model, plan as never, 1).weights;
    const name = planned.graph.weights.find((w) => w.used)?.name as string;
    const missing = new Map(weights);
    missing.delete(name);
    expect(() => createPlanExecutor(plan, missing)).toThrow(new RegExp(`weight \`${name.replace(/\./g, '\\.')}\` .* is missing`));
    const wrong = new Map(weights);
    wrong.set(name, new Float32Array(3));
    expect(() => createPlanExecutor(plan, wrong)).toThrow(PlanRunError);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('rejects missing inputs, inputs of the wrong size and mismatched placeholders', async () => {
    const feeds = testFeeds(planned.graph, planned.model, plan as never, 2);
    const executor = createPlanExecutor(plan, feeds.weights);
    try {
      const inputs = hostInputs(feeds);
      const idsName = plan.inputs.find((i) => i.role === 'input_ids')?.name as string;
      const { [idsName]: ids, ...rest } = inputs;
      await expect(executor.forward(rest)).rejects.toThrow(/no value for the plan input `input_ids`/);
      await expect(executor.forward({ ...inputs, [idsName]: ids.slice(1) })).rejects.toThrow(/the plan was built for \[1, \d+\]/);
      const image = planned.model.senses[0];
      const fewer = Int32Array.from(ids as Int32Array, (id) => (id === image.token.id ? 5 : id));
      await expect(executor.forward({ ...inputs, [idsName]: fewer })).rejects.toThrow(new RegExp(`0 \`image\` placeholders \\(id ${image.token.id}\\) for ${image.tokens} embeddings`));
      const outside = Int32Array.from(ids as Int32Array, (id, i) => (i === 0 ? 100_000 : id));
      await expect(executor.forward({ ...inputs, [idsName]: outside })).rejects.toThrow(/token id 100000 .* outside the \d+-row embedding table/);
      // The executor is still usable after a failed forward, and nothing leaked.
      const before = tf.memory().numTensors;
      const ok = await executor.forward(inputs);
      tf.dispose(Object.values(ok.outputs));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      executor.dispose();
    }
    expect(tf.memory().numTensors).toBe(0);
  });
});
