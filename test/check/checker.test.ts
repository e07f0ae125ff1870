import { describe, expect, it } from 'vitest';
import { parseFile, parseSource } from '../../grammar/index.js';
import { checkModel, specifiedRules } from '../../compiler/check/index.js';
import type { RuleContext } from '../../compiler/check/context.js';
import { loadProgram, resolveProgram } from '../../compiler/resolve/index.js';
import { baseSpec, memoryHost, problems, runSpec } from './harness.js';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

async function resolveOne(text: string) {
  const program = await loadProgram(['spec.mimo'], { root: '/project', cwd: '/project', parse: parseFile, host: memoryHost({ 'spec.mimo': text }) });
  return resolveProgram(program, { parseText: parseSource }).models;
}

describe('the checker', () => {
  it('turns a rule that throws into an internal-error diagnostic and runs the others', async () => {
    const [model] = await resolveOne(baseSpec({ decoder: '    layers 2 hidden 64 heads 4 kv_heads 4 ffn 128 vocab 1000 context 512 colour 3' }));
    const broken = (_: RuleContext) => {
      throw new Error('boom');
    };
    const result = checkModel(model, [broken, ...specifiedRules]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'MIMO3032 internal error in check `broken`: boom',
      'MIMO3001 unknown field `colour` in `decoder` (llama)',
    ]);
    expect(result.checked).toBeUndefined();
  });

  it('stops after 100 errors with a note', async () => {
    const fields = Array.from({ length: 150 }, (_, i) => `    bogus${i} 1`).join('\n');
    const result = await runSpec(baseSpec({ decoder: `    layers 2 hidden 64 heads 4 kv_heads 4 ffn 128 vocab 1000 context 512\n${fields}` }));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(100);
    expect(result.diagnostics.at(-1)?.code).toBe('MIMO3033');
  });

  it('reports a problem inherited by a variant once, at the base model', async () => {
    const result = await runSpec(baseSpec({ decoder: '    layers 2 hidden 64 heads 5 kv_heads 5 ffn 128 vocab 1000 context 512', extra: 'variant v of m { decoder.layers = 3 }' }));
    expect(problems(result)).toEqual(['MIMO3011 3:30 decoder: 5 heads do not divide the width 64']);
    expect(result.diagnostics[0].related.map((r) => r.message)).not.toContain('while checking `m/v`');
  });

  it('registers every rule file in rules/ (the assert rule runs once per program)', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'compiler', 'check', 'rules');
    const files = readdirSync(dir).map((f) => f.replace(/\.ts$/, '')).filter((f) => f !== 'UserAssertRule').sort();
    expect(specifiedRules.map((r) => r.name).sort()).toEqual(files);
  });

  it('fills spans by dotted path, pointing at the preset line for preset values', async () => {
    const result = await runSpec(baseSpec({ vision: '    input image(size: 224)\n    encoder clip_vit("ViT-B/16", frozen: true)\n    projector mlp()\n    token "<i>"' }));
    const spans = result.models[0].spans;
    expect(spans.get('decoder.hidden')).toMatchObject({ file: 'spec.mimo', line: 3 });
    expect(spans.get('senses.vision.encoder.frozen')).toMatchObject({ file: 'spec.mimo', line: 7 });
    expect(spans.get('senses.vision.encoder.patch')?.file).toBe('mimo:presets/clip_vit.yaml');
    expect(spans.get('senses.vision.encoder.preset')).toMatchObject({ file: 'spec.mimo', line: 7, column: 22 });
    expect(spans.get('senses.vision')).toMatchObject({ line: 5 });
    expect(spans.get('model')).toMatchObject({ line: 1, column: 7 });
    // Defaults were set by nobody.
    expect(spans.has('senses.vision.encoder.pool')).toBe(false);
  });

  it('lifts every default', async () => {
    const result = await runSpec(baseSpec());
    const m = result.models[0];
    expect(m.textTokens).toBe(256);
    expect(m.dtype).toBe('bfloat16');
    expect(m.decoder).toMatchObject({ norm: { kind: 'rmsnorm', eps: 1e-5 }, mlp: 'swiglu', activation: 'silu', position: { kind: 'rope', theta: 10000 }, tiedEmbeddings: false });
    expect(m.senses[0].encoder).toMatchObject({ family: 'clip_vit', activation: 'quick_gelu', classToken: true, selectLayer: -1, layersUsed: 2, poolStride: 1, channels: 3 });
    expect(m.senses[0].tokens).toBe(2 * 17);
  });
});
