import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

const sense = (name: string, token: string, id?: number) =>
  `  sense ${name} {\n    input image(size: 224)\n    encoder clip_vit("ViT-B/16")\n    projector mlp()\n    token "${token}"\n${id === undefined ? '' : `    token_id ${id}\n`}  }\n`;

describe('PlaceholderTokensRule', () => {
  it('reports the fixture\'s duplicate placeholders with both places', async () => {
    const { expected, actual, result } = await runFixture('check', 'PlaceholderTokensRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.diagnostics.every((d) => d.related.length === 1)).toBe(true);
  });

  it('adds tokens after the vocabulary in sense order, skipping explicit ids', async () => {
    const result = await runSpec(`model m {\n  decoder llama("llama-2-7b")\n${sense('a', '<a>')}${sense('b', '<b>', 32000)}${sense('c', '<c>')}${sense('d', '<d>', 7)}}\n`);
    expect(problems(result)).toEqual([]);
    const m = result.models[0];
    expect(m.senses.map((s) => [s.token.id, s.token.added])).toEqual([
      [32001, true],
      [32000, true],
      [32002, true],
      [7, false],
    ]);
    expect(m.decoder.vocabTotal).toBe(32003);
  });

  it('grows the vocabulary to the largest explicit id', async () => {
    const result = await runSpec(`model m {\n  decoder llama("llama-2-7b")\n${sense('a', '<a>', 32255)}}\n`);
    expect(result.models[0].decoder.vocabTotal).toBe(32256);
  });
});
