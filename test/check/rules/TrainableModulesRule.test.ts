import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('TrainableModulesRule', () => {
  it('warns when every module is frozen', async () => {
    const { expected, actual, result } = await runFixture('check', 'TrainableModulesRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.diagnostics[0].severity).toBe('warning');
  });

  it('records frozen per module', async () => {
    const { result } = await runFixture('check', 'TrainableModulesRule.mimo');
    const m = result.models[0];
    expect([m.decoder.frozen, m.senses[0].encoder.frozen, m.senses[0].projector.frozen]).toEqual([true, true, true]);
  });

  it('is quiet when the projector trains', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b") { frozen true }\n  sense v {\n    input image(size: 224)\n    encoder clip_vit("ViT-B/16", frozen: true)\n    projector mlp()\n    token "<i>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].projector.frozen).toBe(false);
  });
});
