/**
 * Everything the generator writes compiles under `tsc --strict` against the runtime's sources
 * (TypeScript's checker, in-process): every model and variant of every spec in specs/, the
 * hand-built family fixtures, and a model whose names and strings are hostile.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCode, typecheckGenerated, type GeneratedFile } from '../../compiler/codegen/index.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { gpt2Siglip, gpt2Whisper, tinyAvlm } from '../ir/models.js';
import { ROOT, RUNTIME_SOURCE, specModels } from './helpers.js';

function hostile(): CheckedModel {
  const m = tinyAvlm();
  const names = ['__proto__', 'class'];
  return { ...m, id: "x'/*y*/\u2028z", senses: m.senses.map((s, i) => ({ ...s, name: names[i], token: { ...s.token, text: '*/ `${x}` \\' } })) };
}

describe('generated code compiles with --strict', () => {
  it('all specs, the family fixtures and a hostile model', async () => {
    const groups: [string, CheckedModel[]][] = [];
    for (const spec of readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.mimo')).sort()) groups.push([spec.replace(/\W/g, '_'), await specModels(spec)]);
    groups.push(['fixtures', [gpt2Whisper(), gpt2Siglip()]], ['hostile', [hostile()]]);
    const files: GeneratedFile[] = [];
    let modules = 0;
    for (const [dir, models] of groups) {
      const result = generateCode(models);
      expect(result.diagnostics, dir).toEqual([]);
      modules += result.models.length;
      files.push(...result.files.map((f) => ({ path: `${dir}/${f.path}`, text: f.text })));
    }
    expect(modules).toBeGreaterThanOrEqual(11);
    const { errors } = typecheckGenerated(files, { runtimeEntry: RUNTIME_SOURCE, runtimeImport: 'mimo/runtime', virtualDir: join(ROOT, '.tmp', 'typecheck') });
    expect(errors).toEqual([]);
  }, 300_000);

  it('a type error in generated code is reported (the check can fail)', () => {
    const result = generateCode([gpt2Whisper()]);
    const broken = result.files.map((f) => (f.path.endsWith('gpt2_whisper.ts') ? { ...f, text: f.text.replace("['batch', 'seq', 301]", "['batch', 'seq', 'vocab']") } : f));
    const { errors } = typecheckGenerated(broken, { runtimeEntry: RUNTIME_SOURCE, runtimeImport: 'mimo/runtime', virtualDir: join(ROOT, '.tmp', 'typecheck-broken') });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('gpt2_whisper.ts');
  }, 300_000);
});
