/**
 * Spec text never escapes into code: with arbitrary model ids, sense names, placeholder texts and
 * spec paths (quotes, backslashes, comment terminators, line separators, lone surrogates, code),
 * the generated module still parses, has exactly the declarations it should, and its `config`
 * and `manifest` hold the hostile strings verbatim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { generateCode } from '../../compiler/codegen/index.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { tinyAvlm } from '../ir/models.js';

const nasty = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
  fc.constantFrom("a'b", 'x\\', '*/ export const pwned = 1; /*', '\u2028', 'new\nline', '${process.exit()}', '`', '\ud800', '__proto__', 'constructor', 'inputIds', 'decoder', 'tf', 'class'),
);

function evaluate(expression: string): unknown {
  const js = ts.transpileModule(`module.exports = (${expression});`, { compilerOptions: { module: ts.ModuleKind.CommonJS } });
  const module = { exports: undefined as unknown };
  new Function('module', js.outputText)(module);
  return module.exports;
}

function initializerOf(file: ts.SourceFile, name: string): string {
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer !== undefined) {
        const init = ts.isAsExpression(d.initializer) ? d.initializer.expression : d.initializer;
        return init.getText(file);
      }
    }
  }
  throw new Error(`no ${name}`);
}

function hostileModel(id: string, names: readonly string[], tokens: readonly string[]): CheckedModel {
  const m = tinyAvlm();
  return { ...m, id, name: id, senses: m.senses.map((s, i) => ({ ...s, name: names[i], token: { ...s.token, text: tokens[i] } })) };
}

describe('hostile spec text is escaped', () => {
  it('modules parse, declare exactly their own names, and keep the strings verbatim', () => {
    fc.assert(
      fc.property(nasty, fc.uniqueArray(nasty, { minLength: 2, maxLength: 2 }), fc.array(nasty, { minLength: 2, maxLength: 2 }), nasty, (id, names, tokens, specPath) => {
        const model = hostileModel(id, names, tokens);
        const result = generateCode([model], { specPath });
        expect(result.diagnostics).toEqual([]);
        const text = result.files[0].text;
        const syntax = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } }).diagnostics ?? [];
        expect(syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
        const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.ES2022, true);
        const kinds = file.statements.map((s) => (ts.isImportDeclaration(s) ? 'import' : ts.isVariableStatement(s) ? 'const' : ts.isInterfaceDeclaration(s) ? 'interface' : ts.isClassDeclaration(s) ? 'class' : ts.isFunctionDeclaration(s) ? 'function' : 'other'));
        expect(kinds).toEqual([
          'import',
          'import',
          'const',
          'const',
          ...Array(2 + model.senses.length + 2).fill('interface'),
          'class',
          'function',
        ]);
        const cls = file.statements.find(ts.isClassDeclaration) as ts.ClassDeclaration;
        expect(cls.members.filter(ts.isMethodDeclaration).length).toBe(7 + model.senses.length);
        const config = evaluate(initializerOf(file, 'config')) as { id: string; senses: Record<string, { token: { text: string } }> };
        expect(config.id).toBe(id);
        expect(Object.keys(config.senses).sort()).toEqual([...names].sort());
        names.forEach((n, i) => expect(Object.getOwnPropertyDescriptor(config.senses, n)?.value.token.text).toBe(tokens[i]));
        const manifest = evaluate(initializerOf(file, 'manifest')) as { name: string }[];
        expect(manifest.some((w) => w.name === `${names[0]}_tower.vision_model.embeddings.patch_embedding.weight`)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
