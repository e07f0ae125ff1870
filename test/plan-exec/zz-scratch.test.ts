import { test } from 'vitest';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import { initBackend, tf } from '../../runtime/index.js';
import { createPlanExecutor } from '../../runtime/plan/index.js';
import { plannedModel, relativeError, testFeeds } from './harness.js';

test('scratch', async () => {
  for (const [spec, id] of [['specs/tiny_avlm.mimo', 'tiny_avlm'], ['specs/tiny_gpt2.mimo', 'tiny_gpt2']] as const) {
    const { model, graph, plan } = await plannedModel(spec, id);
    const feeds = testFeeds(graph, model, plan, 7);
    let t = performance.now();
    const ref = interpretPlan(plan, feeds).get('logits')!;
    console.log(id, 'interpret', (performance.now() - t).toFixed(0), 'ms');
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend);
      const inputs = Object.fromEntries([...feeds.inputs].map(([k, v]) => [k, v.data]));
      const n0 = tf.memory().numTensors;
      const ex = createPlanExecutor(plan, feeds.weights);
      const n1 = tf.memory().numTensors;
      for (let r = 0; r < 3; r++) {
        t = performance.now();
        const out = await ex.forward(inputs);
        const data = await out.outputs.logits.data();
        console.log(id, backend, 'forward', (performance.now() - t).toFixed(1), 'ms', 'err', relativeError(data, ref.data), 'peak', out.peakBytes, 'kernels', out.kernels);
        tf.dispose(out.outputs.logits);
        console.log('tensors', n0, n1, tf.memory().numTensors);
      }
      console.log(ex.stats);
      ex.dispose();
      console.log('after dispose', tf.memory().numTensors);
    }
  }
}, 600000);
