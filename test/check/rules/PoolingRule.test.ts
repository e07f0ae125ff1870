import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('PoolingRule', () => {
  it('reports the fixture\'s stride that does not divide the grid', async () => {
    const { expected, actual } = await runFixture('check', 'PoolingRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('pools LLaVA-NeXT-Video style: 24 x 24 -> 12 x 12 = 144 tokens per frame', async () => {
    const result = await runSpec('model m {\n  decoder llama("vicuna-7b-v1.5")\n  sense v {\n    input video(frames: 8, size: 336)\n    encoder clip_vit("ViT-L/14-336", select_layer: -2, drop_cls: true, pool: 2)\n    projector mlp()\n    token "<video>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].tokens).toBe(8 * 144);
  });
});
