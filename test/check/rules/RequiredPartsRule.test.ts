import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('RequiredPartsRule', () => {
  it('reports every missing part and field of the fixture', async () => {
    const { expected, actual } = await runFixture('check', 'RequiredPartsRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('is satisfied by a preset that sets the required fields', async () => {
    const result = await runSpec('model m {\n  decoder gpt2("small")\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].decoder.layers).toBe(12);
  });

  it('requires every sense part', async () => {
    const result = await runSpec(baseSpec({ vision: '    input video(frames: 2, size: 32)' }));
    expect(problems(result)).toEqual([
      'MIMO3006 5:9 sense `vision` has no `encoder`',
      'MIMO3006 5:9 sense `vision` has no `projector`',
      'MIMO3006 5:9 sense `vision` has no `token`',
    ]);
    expect(result.models).toEqual([]);
  });
});
