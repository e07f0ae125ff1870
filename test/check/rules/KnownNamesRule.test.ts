import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('KnownNamesRule', () => {
  it('reports every misspelled name of the fixture, with its place', async () => {
    const { expected, actual } = await runFixture('check', 'KnownNamesRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('suggests the closest field name and offers a fix', async () => {
    const result = await runSpec(baseSpec({ decoder: '    layers 2 hidden 64 heads 4 kv_heads 4 ffn 128 vocab 1000 contxt 512 context 512' }));
    const d = result.diagnostics.find((x) => x.code === 'MIMO3001');
    expect(d?.message).toBe('unknown field `contxt` in `decoder` (llama)');
    expect(d?.help).toMatch(/^did you mean `context`\?/);
    expect(d?.fix?.replacement).toBe('context');
  });

  it('reports an unknown field set through --set at the override text', async () => {
    const result = await runSpec(baseSpec(), { overrides: ['decoder.layrs=3'] });
    expect(problems(result)).toEqual(['MIMO3001 1:9 unknown field `layrs` in `decoder` (llama)']);
    expect(result.diagnostics[0].span?.file).toBe('<--set 1>');
    expect(result.diagnostics[0].help).toMatch(/did you mean `layers`/);
  });

  it('knows every name the seed spec uses', async () => {
    const result = await runSpec(baseSpec({ model: '  dtype float16\n  text_tokens 16' }));
    expect(problems(result)).toEqual([]);
  });

  it('rejects positional arguments after a preset name', async () => {
    const result = await runSpec(baseSpec({ vision: '    input image(size: 224)\n    encoder clip_vit("ViT-B/16", 3)\n    projector mlp()\n    token "<i>"' }));
    expect(problems(result)).toEqual(['MIMO3008 7:34 `clip_vit` takes no positional argument here']);
  });
});
