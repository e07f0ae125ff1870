import { describe, expect, it } from 'vitest';
import { parseSource } from '../../grammar/index.js';
import { parseOverride } from '../../compiler/resolve/index.js';
import { problems, run, runSpec } from '../check/harness.js';

const spec = `model m {
  decoder gpt2("small")
  sense vision {
    input image(size: 224)
    encoder clip_vit("ViT-B/16")
    projector mlp()
    token "<image>"
  }
}
model text_only {
  decoder gpt2("small")
}
`;

describe('--set overrides', () => {
  it('parse the value with the expression grammar and keep spans in the argument', () => {
    const { override, diagnostics } = parseOverride('vision.encoder = clip_vit("ViT-L/14", select_layer: -2)', 0, parseSource);
    expect(diagnostics).toEqual([]);
    expect(override?.assignment.path.segments.map((s) => s.name)).toEqual(['vision', 'encoder']);
    expect(override?.assignment.value.kind).toBe('CallExpression');
    expect(override?.assignment.value.span).toMatchObject({ file: '<--set 1>', offset: 17, column: 18, endOffset: 55 });
  });

  it('apply to every model whose path starts with a name it has', async () => {
    const result = await runSpec(spec, { overrides: ['decoder.layers=2', 'vision.input.size=336', 'vision.encoder=clip_vit("ViT-L/14-336")'] });
    expect(problems(result)).toEqual([]);
    expect(result.models.map((m) => [m.id, m.decoder.layers])).toEqual([
      ['m', 2],
      ['text_only', 2],
    ]);
    expect(result.models[0].senses[0].tokens).toBe(577);
  });

  it('apply in order, the later one winning', async () => {
    const result = await runSpec(spec, { overrides: ['text_tokens=10', 'text_tokens=20'] });
    expect(result.models.map((m) => m.textTokens)).toEqual([20, 20]);
  });

  it('report a path no model has, with did-you-mean when a segment is close', async () => {
    const result = await runSpec(spec, { overrides: ['audio.input.seconds=3', 'decoder.nrm.eps=1e-6'] });
    expect(problems(result)).toEqual(['MIMO2012 1:9 `decoder.nrm.eps`: `decoder` has no `nrm`', 'MIMO2024 1:1 `--set audio.input.seconds` matches no model']);
    expect(result.diagnostics[0].help).toMatch(/^did you mean `norm`\?/);
  });

  it('report malformed arguments in their own pseudo-file', async () => {
    const result = await runSpec(spec, { overrides: ['decoder.layers', 'decoder..layers=1', 'decoder.layers=', 'decoder.layers=(3', 'decoder.layers=3 4'] });
    expect(result.diagnostics.map((d) => `${d.span?.file} ${d.span?.column} ${d.message}`)).toEqual([
      '<--set 1> 1 cannot read `--set decoder.layers`: there is no `=`',
      '<--set 2> 1 cannot read `--set decoder..layers=1`: the part before `=` is not a dotted path',
      '<--set 3> 1 cannot read `--set decoder.layers=`: the value after `=` is missing',
      '<--set 4> 18 unbalanced parentheses: `(` opened at 1:16 is never closed',
      '<--set 5> 18 expected a declaration, found `4`',
    ]);
    expect(result.sources.get('<--set 4>')).toBe('decoder.layers=(3');
  });

  it('are type-checked like any value, at the argument', async () => {
    const result = await run({ 'a.mimo': spec }, { overrides: ['decoder.layers=-1'] });
    expect(problems(result)).toEqual(['MIMO3005 1:16 `layers` must be a positive integer, found -1']);
    expect(result.diagnostics[0].span?.file).toBe('<--set 1>');
  });
});
