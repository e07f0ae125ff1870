import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('ProjectorWidthsRule', () => {
  it('reports the fixture\'s stated widths that disagree', async () => {
    const { expected, actual } = await runFixture('check', 'ProjectorWidthsRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('derives widths when none is stated: encoder width in, decoder width out', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense a {\n    input audio(seconds: 10)\n    encoder whisper("base")\n    projector mlp(depth: 2, act: gelu)\n    token "<audio>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].projector).toMatchObject({ kind: 'mlp', inputWidth: 512, hiddenWidth: 4096, outputWidth: 4096 });
  });

  it('accepts stated widths that agree', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense a {\n    input audio(seconds: 10)\n    encoder whisper("base")\n    projector affine(input: 512, output: 4096)\n    token "<audio>"\n  }\n}\n');
    expect(problems(result)).toEqual([]);
  });
});
