import { describe, expect, it } from 'vitest';
import { problems, run, runSpec } from '../check/harness.js';

const model = (name: string) => `model ${name} {\n  decoder gpt2("small")\n}\n`;

describe('declarations', () => {
  it('with the same name in two files are reported with both spans', async () => {
    const result = await run({ 'a.mimo': `import "lib/b.mimo"\n${model('m')}`, 'lib/b.mimo': model('m') });
    expect(problems(result)).toEqual(['MIMO2005 1:7 model `m` is declared twice']);
    const d = result.diagnostics[0];
    expect(d.span?.file).toBe('lib/b.mimo');
    expect(d.related.map((r) => `${r.span.file}:${r.span.line}:${r.span.column}`)).toEqual(['a.mimo:2:7']);
  });

  it('allow the same variant name on different models, not twice on one', async () => {
    const result = await runSpec(`${model('a')}${model('b')}variant v of a { decoder.layers = 2 }\nvariant v of b { decoder.layers = 2 }\ngrid v of a { text_tokens in [1] }\n`);
    expect(problems(result)).toEqual(['MIMO2005 9:6 sweep of `a` `v` is declared twice']);
  });

  it('suggest the closest model for an unknown name', async () => {
    const result = await runSpec(`${model('llava')}variant v of lava { }\n`);
    expect(problems(result)).toEqual(['MIMO2006 4:14 no model named `lava`']);
    expect(result.diagnostics[0].fix?.replacement).toBe('llava');
  });

  it('explain that a variant cannot be the base of another', async () => {
    const result = await runSpec(`${model('a')}variant v of a { }\nvariant w of v { }\n`);
    expect(problems(result)).toEqual(['MIMO2027 5:14 `v` is a variant of `a`, not a model']);
  });
});
