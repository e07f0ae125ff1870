import { test } from 'vitest';
import { planModel } from '../../compiler/plan/index.js';
import * as rt from '../../runtime/index.js';
import { countTfKernels, createPlanExecutor } from '../../runtime/plan/index.js';
import { plannedModel } from './harness.js';
import { demoMedia, demoPrompt } from '../../cli/commands/demo.js';
import { expandPrompt, loadOpByOp, planInputs, seededWeights } from '../../cli/commands/run.js';

test('scratch', async () => {
  await rt.initBackend('wasm');
  for (const [spec, id] of [['specs/tiny_avlm.mimo', 'tiny_avlm'], ['specs/tiny_gpt2.mimo', 'tiny_gpt2']] as const) {
    const { model, graph } = await plannedModel(spec, id);
    const prompt = demoPrompt(rt, model, 0).ids;
    const expanded = expandPrompt(model, prompt);
    const media = new Map(model.senses.map((s) => [s.name, demoMedia(rt, s, 0)]));
    const weights = seededWeights(rt, graph, 0);
    const inputs = { model, graph, weights, expanded, media, textTokens: prompt.length - model.senses.length };
    const plan = planModel(model, { text: inputs.textTokens }).plan!;
    const ex = createPlanExecutor(plan, weights);
    const feed = planInputs(plan, graph, inputs);
    const op = await loadOpByOp(rt, inputs);
    for (let w = 0; w < 5; w++) { rt.tf.dispose((await ex.forward(feed)).outputs.logits); rt.tf.dispose(op.forward()); }
    for (const [name, f] of [['plan', async () => (await ex.forward(feed)).outputs.logits], ['op', async () => op.forward()]] as const) {
      const info = await rt.tf.profile(async () => { const y = await f(); await y.data(); y.dispose(); return []; });
      const byName: Record<string, number> = {};
      for (const k of info.kernels) byName[k.name] = (byName[k.name] ?? 0) + (await k.kernelTimeMs as number);
      let total = 0; for (const v of Object.values(byName)) total += v;
      const t0 = performance.now(); for (let i = 0; i < 10; i++) { const y = await f(); await y.data(); y.dispose(); } const wall = (performance.now() - t0) / 10;
      console.log(id, name, 'kernel ms total', total.toFixed(1), 'wall', wall.toFixed(1));
      const top = Object.entries(byName).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => `${k}:${v.toFixed(1)}`);
      const big = [];
      for (const k of info.kernels) { const t = await k.kernelTimeMs as number; if (t > 2) big.push(`${k.name} ${t.toFixed(1)} ${JSON.stringify(k.inputShapes)}`); }
      console.log(id, name, top.join(' '), '\n', big.slice(0, 12).join('\n'));
    }
    const a = await countTfKernels(async () => (await ex.forward(feed)).outputs.logits);
    const b = await countTfKernels(() => op.forward());
    console.log(id, 'plan', a.total, a.free, JSON.stringify(a.byName));
    console.log(id, 'op', b.total, b.free, JSON.stringify(b.byName));
    const time = async (f: () => Promise<unknown>) => { const ts: number[] = []; for (let i = 0; i < 15; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t); } ts.sort((x, y) => x - y); return ts[7].toFixed(2); };
    for (let w = 0; w < 10; w++) { rt.tf.dispose((await ex.forward(feed)).outputs.logits); rt.tf.dispose(op.forward()); }
    console.log(id, 'plan ms', await time(async () => { const y = (await ex.forward(feed)).outputs.logits; await y.data(); y.dispose(); }), 'op ms', await time(async () => { const y = op.forward(); await y.data(); y.dispose(); }));
    ex.dispose(); await op.dispose();
  }
}, 600000);
