/**
 * Every model, variant and sweep point of every spec in specs/ lowers to a graph that verifies,
 * whose parameters equal the analysis, and whose sense token counts agree with the checker.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../compiler/analyze/index.js';
import { buildGraph, verifyGraph, weightManifest } from '../../compiler/ir/index.js';
import { runPipeline } from '../../compiler/pipeline.js';

const root = join(import.meta.dirname, '..', '..');
const specs = readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.mimo')).sort();

describe('the specs in specs/ lower to verified graphs', () => {
  it('there are specs to check', () => {
    expect(specs.length).toBeGreaterThan(0);
  });
  for (const spec of specs) {
    it(spec, async () => {
      const result = await runPipeline([join('specs', spec)], { root, cwd: root, expandSweeps: true });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.models.length).toBeGreaterThan(0);
      for (const model of result.models) {
        const { graph, diagnostics } = buildGraph(model);
        expect(diagnostics, model.id).toEqual([]);
        expect(verifyGraph(graph!), model.id).toEqual([]);
        expect(BigInt(weightManifest(graph!).parameters), model.id).toBe(analyzeModel(model).params.params);
      }
    }, 120_000);
  }
});
