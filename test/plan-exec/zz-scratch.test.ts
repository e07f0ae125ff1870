import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { runPipeline } from '../../compiler/pipeline.js';
import { planModel } from '../../compiler/plan/index.js';
test('dump', async () => {
  for (const [spec, id, sets] of [['specs/tiny_avlm.mimo', 'tiny_avlm', []], ['specs/tiny_gpt2.mimo', 'tiny_gpt2', []], ['specs/llava_avlm.mimo', 'llava_avlm/tiny', []]] as const) {
    const r = await runPipeline([spec], { overrides: sets as unknown as string[] });
    const m = r.models.find((x) => x.id === id)!;
    const t = performance.now();
    const { plan, diagnostics } = planModel(m, {});
    console.log(id, (performance.now() - t).toFixed(0), 'ms', diagnostics.map((d) => d.message));
    if (!plan) continue;
    writeFileSync(`/tmp/plan-${id.replace('/', '_')}.json`, JSON.stringify(plan, null, 1));
    const lines = [...plan.prepare.map((k) => 'P ' + k.kind + ' ' + k.label), ...plan.kernels.map((k) => k.kind + ' ' + k.label + (k.kind === 'op' ? ' ' + JSON.stringify(k.params) : ''))];
    writeFileSync(`/tmp/plan-${id.replace('/', '_')}.txt`, lines.join('\n'));
    console.log(plan.summary);
  }
}, 600000);
