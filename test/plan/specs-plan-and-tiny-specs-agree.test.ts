/**
 * The shipped specs: every model in specs/ plans without a diagnostic (prefill and decode), and
 * the two tiny specs (LLaMA + CLIP video + BEATs, GPT-2 + SigLIP) run fused and unfused to the
 * same logits.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../compiler/pipeline.js';
import { planGraph, planModel } from '../../compiler/plan/index.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import { randomFeeds, relativeError } from './harness.js';
import { bindingsOf, graphOf } from './models.js';

const specs = readdirSync('specs').filter((f) => f.endsWith('.mimo')).sort();

describe('specs/', () => {
  it('plans every declared model of every spec', async () => {
    for (const file of specs) {
      const { models, diagnostics } = await runPipeline([`specs/${file}`], {});
      expect(diagnostics.filter((d) => d.severity === 'error'), file).toEqual([]);
      expect(models.length).toBeGreaterThan(0);
      const m = models[0];
      for (const mode of ['prefill', 'decode'] as const) {
        const { plan, diagnostics: planDiagnostics } = planModel(m, { mode });
        expect(planDiagnostics, `${file} ${mode}`).toEqual([]);
        expect(plan!.summary.kernels).toBeLessThan(plan!.summary.ops_unfused);
      }
    }
  }, 300_000);

  for (const [file, id] of [
    ['tiny_avlm.mimo', 'tiny_avlm'],
    ['tiny_gpt2.mimo', 'tiny_gpt2'],
  ] as const) {
    it(`${file}: fused equals unfused`, async () => {
      const { models } = await runPipeline([`specs/${file}`], {});
      const m = models.find((x) => x.id === id)!;
      const graph = graphOf(m);
      const seq = m.sequenceLength;
      const feeds = randomFeeds(graph, m, { batch: 1, seq, seed: 17 });
      const expected = interpretGraph(graph, { batch: 1, seq }, feeds).outputs.get('logits')!;
      const { plan } = planGraph(graph, bindingsOf(m), { attentionBlockSize: 16 });
      expect(relativeError(interpretPlan(plan, feeds).get('logits')!, expected)).toBeLessThan(1e-4);
    }, 120_000);
  }
});
