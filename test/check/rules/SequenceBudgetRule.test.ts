import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('SequenceBudgetRule', () => {
  it('reports the fixture\'s sequence over the context, showing the sum', async () => {
    const { expected, actual } = await runFixture('check', 'SequenceBudgetRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('accepts a sequence that fills the context exactly', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense v {\n    input video(frames: 15, size: 224)\n    encoder clip_vit("ViT-L/14", drop_cls: true)\n    projector mlp()\n    token "<v>"\n  }\n  text_tokens 256\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].sequenceLength).toBe(4096);
  });

  it('names every sense in the sum', async () => {
    const result = await runSpec('model m {\n  decoder gpt2("small")\n  sense a {\n    input audio(seconds: 20.5)\n    encoder beats("iter3")\n    projector mlp()\n    token "<a>"\n  }\n}\n');
    expect(problems(result)).toEqual(['MIMO3021 1:7 the sequence needs 256 (text) + 1024 (a) = 1280 tokens but the decoder context is 1024']);
  });
});
