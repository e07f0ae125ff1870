import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('PatchGridRule', () => {
  it('reports the fixture\'s patch that does not tile the image', async () => {
    const { expected, actual } = await runFixture('check', 'PatchGridRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('reports a sweep point whose size breaks the grid, at the sweep value', async () => {
    const result = await runSpec(
      baseSpec({
        vision: '    input image(size: 32)\n    encoder clip_vit(layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 8, image_size: 32)\n    projector mlp()\n    token "<i>"',
        extra: 'grid sizes of m {\n  vision.input.size in [32, 36]\n  vision.encoder.image_size in [32, 36]\n}',
      }),
    );
    expect(problems(result)).toContain('MIMO3014 14:29 sense `vision`: patch 8 does not divide the image size 36');
  });
});
