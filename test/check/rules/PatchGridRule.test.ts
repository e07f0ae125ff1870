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

  it('accepts a published preset at its own size even with a remainder (SigLIP so400m/14 at 384 px: 27 x 27)', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense v {\n    input image(size: 384)\n    encoder siglip_vit("so400m-14-384")\n    projector mlp()\n    token "<v>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].tokens).toBe(729);
  });

  it('still rejects that remainder when the user changes the patch', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense v {\n    input image(size: 384)\n    encoder siglip_vit("so400m-14-384", patch: 10)\n    projector mlp()\n    token "<v>"\n  }\n}\n');
    expect(problems(result)).toEqual(['MIMO3014 4:23 sense `v`: patch 10 does not divide the image size 384']);
  });
});
