import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('SelectLayerRule', () => {
  it('reports the fixture\'s layers that do not exist', async () => {
    const { expected, actual } = await runFixture('check', 'SelectLayerRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('accepts both ends of the range and counts the layers run', async () => {
    const first = await runSpec(baseSpec({ extra: 'variant first of m { vision.encoder.select_layer = -2 }\nvariant last of m { vision.encoder.select_layer = 1 }' }));
    expect(problems(first)).toEqual([]);
    expect(first.models.map((m) => m.senses[0].encoder.family === 'clip_vit' && m.senses[0].encoder.layersUsed)).toEqual([2, 1, 2]);
  });
});
