import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('ConvolutionGroupsRule', () => {
  it('reports the fixture\'s groups that do not divide the width', async () => {
    const { expected, actual, result } = await runFixture('check', 'ConvolutionGroupsRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.diagnostics[0].related[0].span.file).toBe('mimo:presets/beats.yaml');
  });

  it('accepts groups that divide the width', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense audio {\n    input audio(seconds: 20.5)\n    encoder beats("iter3", hidden: 64, heads: 4, conv_pos_groups: 8)\n    projector mlp()\n    token "<audio>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
  });
});
