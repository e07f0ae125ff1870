/**
 * Beyond one prefill sample: a decode step whose KV caches are written through partial views
 * (past rows from the inputs, the new row by the QKV matmul) and read whole by attention, and a
 * prefill batch of two with a left-padded sample (masked keys, fully masked query rows). The
 * executor equals the reference interpreter on every output, on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { planModel } from '../../compiler/plan/index.js';
import type { Feeds } from '../../compiler/plan/interpret/ir.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import { createRng, fillNormal } from '../../runtime/io/init.js';
import { initBackend, tf } from '../../runtime/index.js';
import { createPlanExecutor } from '../../runtime/plan/index.js';
import { hostInputs, type PlannedModel, plannedModel, relativeError, testFeeds } from './harness.js';

async function compare(plan: Parameters<typeof createPlanExecutor>[0], feeds: Feeds): Promise<Record<string, number>> {
  const reference = interpretPlan(plan as never, feeds);
  const start = tf.memory().numTensors;
  const executor = createPlanExecutor(plan, feeds.weights);
  const out = await executor.forward(hostInputs(feeds));
  const errors: Record<string, number> = {};
  for (const [name, t] of Object.entries(out.outputs)) errors[name] = relativeError(await t.data(), reference.get(name)?.data ?? new Float32Array());
  tf.dispose(Object.values(out.outputs));
  executor.dispose();
  expect(tf.memory().numTensors).toBe(start);
  return errors;
}

describe('the tfjs plan executor beyond a single prefill sample (wasm)', () => {
  let planned: PlannedModel;
  beforeAll(async () => {
    await initBackend('wasm');
    planned = await plannedModel('specs/tiny_avlm.mimo', 'tiny_avlm');
  });

  it('runs a decode step with KV caches (batch 2) like the interpreter, caches included', async () => {
    const { model, graph } = planned;
    const plan = planModel(model, { mode: 'decode', text: 8, batch: 2 }).plan;
    if (plan === undefined) throw new Error('no decode plan');
    const feeds = testFeeds(graph, model, plan, 5);
    const inputs = feeds.inputs as Map<string, Tensor>;
    for (const input of plan.inputs) {
      const shape = [...input.operand.shape];
      const n = shape.reduce((a, b) => a * b, 1);
      if (input.role === 'past_key' || input.role === 'past_value') inputs.set(input.name, { shape, data: fillNormal(new Float32Array(n), createRng(5, input.name)) });
      if (input.role === 'input_ids') inputs.set(input.name, { shape, data: Int32Array.from([17, 42]) });
      if (input.role === 'position_ids') inputs.set(input.name, { shape, data: Int32Array.from([plan.bindings.past, plan.bindings.past]) });
    }
    const errors = await compare(plan, feeds);
    expect(Object.keys(errors).sort()).toEqual(plan.outputs.map((o) => o.name).sort());
    expect(Object.keys(errors).filter((name) => name.startsWith('present_')).length).toBe(2 * model.decoder.layers);
    for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(1e-4);
  });

  it('runs a left-padded batch of two like the interpreter', async () => {
    const { model, graph } = planned;
    const plan = planModel(model, { text: 20, batch: 2 }).plan;
    if (plan === undefined) throw new Error('no plan');
    const feeds = testFeeds(graph, model, plan, 9);
    const seq = plan.bindings.seq;
    const inputs = feeds.inputs as Map<string, Tensor>;
    const pad = 3;
    for (const input of plan.inputs) {
      const shape = [...input.operand.shape];
      const ids = inputs.get(input.name)?.data as Int32Array;
      if (input.role === 'attention_mask') inputs.set(input.name, { shape, data: Int32Array.from({ length: 2 * seq }, (_, i) => (i >= seq && i < seq + pad ? 0 : 1)) });
      if (input.role === 'position_ids') inputs.set(input.name, { shape, data: Int32Array.from({ length: 2 * seq }, (_, i) => (i < seq ? i : Math.max(0, i - seq - pad))) });
      if (input.role === 'input_ids') for (let p = 0; p < pad; p++) ids[seq + seq - 1 - p] = 0;
    }
    // The padded sample keeps its placeholders (pads replace its last text ids, moved to the front by the mask only).
    const errors = await compare(plan, feeds);
    expect(errors.logits).toBeLessThan(1e-4);
  });
});
