import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('PositionTableRule', () => {
  it('reports the fixture\'s image size that misses the position table', async () => {
    const { expected, actual } = await runFixture('check', 'PositionTableRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('suggests the matching preset in its help', async () => {
    const { result } = await runFixture('check', 'PositionTableRule.mimo');
    expect(result.diagnostics[0].help).toContain('clip_vit("ViT-L/14-336")');
  });

  it('accepts the 336 px preset at 336 px', async () => {
    const result = await runSpec('model m {\n  decoder llama("vicuna-7b-v1.5")\n  sense i {\n    input image(size: 336)\n    encoder clip_vit("ViT-L/14-336")\n    projector mlp()\n    token "<image>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].tokens).toBe(577);
  });
});
