import { test } from 'vitest';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import { initBackend, tf } from '../../runtime/index.js';
import { createPlanExecutor } from '../../runtime/plan/index.js';
import { plannedModel, relativeError, testFeeds } from './harness.js';

test('scratch', async () => {
  await initBackend('wasm');
  for (const [spec, id] of [['specs/tiny_avlm.mimo', 'tiny_avlm'], ['specs/tiny_gpt2.mimo', 'tiny_gpt2'], ['test/plan-exec/fixtures/tiny_whisper.mimo', 'tiny_whisper_lm']] as const) {
    const { model, graph, plan } = await plannedModel(spec, id);
    const feeds = testFeeds(graph, model, plan, 7);
    const ref = interpretPlan(plan, feeds).get('logits')!;
    const inputs = Object.fromEntries([...feeds.inputs].map(([k, v]) => [k, v.data]));
    const ex = createPlanExecutor(plan, feeds.weights);
    const out = await ex.forward(inputs);
    console.log(id, 'err', relativeError(await out.outputs.logits.data(), ref.data));
    tf.dispose(out.outputs.logits);
    ex.dispose();
    console.log('tensors', tf.memory().numTensors);
  }
}, 600000);
