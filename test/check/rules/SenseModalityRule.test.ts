import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('SenseModalityRule', () => {
  it('reports the fixture\'s encoder/input mismatches', async () => {
    const { expected, actual } = await runFixture('check', 'SenseModalityRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('rejects a vision encoder on audio input', async () => {
    const result = await runSpec(baseSpec({ vision: '    input audio(seconds: 1)\n    encoder clip_vit("ViT-B/16")\n    projector mlp()\n    token "<a>"' }));
    expect(problems(result)).toEqual(['MIMO3024 7:13 sense `vision`: a `clip_vit` encoder cannot read `audio` input']);
  });

  it('accepts matching channels stated on both sides', async () => {
    const result = await runSpec(
      baseSpec({ vision: '    input image(size: 32, channels: 1)\n    encoder clip_vit(layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 8, image_size: 32, channels: 1)\n    projector mlp()\n    token "<i>"' }),
    );
    expect(problems(result)).toEqual([]);
  });
});
