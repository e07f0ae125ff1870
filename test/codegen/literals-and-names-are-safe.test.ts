/**
 * The two doors through which spec text enters generated code are safe for every input: string
 * literals evaluate back to the exact string, comment text can never close its comment or start
 * a new line, and mangled names are always valid, non-reserved identifiers, unique per scope.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { camelCase, commentText, fileBaseName, isSafeIdentifier, mangleIdentifier, NameAllocator, pascalCase, stringLiteral, valueLiteral } from '../../compiler/codegen/index.js';

/** Evaluates a TypeScript expression the way the generated module would (transpile, then run). */
function evaluate(expression: string): unknown {
  const js = ts.transpileModule(`export default (${expression});`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
  expect(js.diagnostics ?? []).toEqual([]);
  const module = { exports: {} as { default?: unknown } };
  new Function('module', 'exports', js.outputText)(module, module.exports);
  return module.exports.default;
}

const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const hostile = fc.oneof(anyText, fc.constantFrom("'", '\\', '*/', '\u2028', '\u2029', '\ud800', '\udc00x', '${x}', '`', '\n*/ import x from "y"; /*', '</script>', '\u0000'));

describe('string literals and comment text', () => {
  it('stringLiteral(s) evaluates to s for every string', () => {
    fc.assert(fc.property(hostile, (s) => {
      expect(evaluate(stringLiteral(s))).toBe(s);
    }), { numRuns: 300 });
  });

  it('commentText(s) stays on one line and never closes a comment or starts a tag', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const c = commentText(s);
        expect(c).not.toMatch(/\*\/|[\n\r\u2028\u2029]|@/);
        const file = ts.createSourceFile('x.ts', `/** ${c} */\nexport const x = 1;\n// ${c}\n`, ts.ScriptTarget.ES2022, true);
        expect(file.statements.length).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('valueLiteral writes nested data that evaluates back to itself, with any keys', () => {
    const value = fc.dictionary(hostile, fc.oneof(anyText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(fc.integer(), { maxLength: 4 })), { maxKeys: 5 });
    fc.assert(
      fc.property(value, (v) => {
        const back = evaluate(valueLiteral({ v })) as { v: Record<string, unknown> };
        expect(back.v).toEqual(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Object.is(x, -0) ? 0 : x])));
      }),
      { numRuns: 150 },
    );
  });
});

describe('identifiers', () => {
  it('mangled names, Pascal and camel case are valid, non-reserved identifiers', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        for (const name of [mangleIdentifier(s), pascalCase(s), camelCase(s)]) {
          expect(isSafeIdentifier(name) || /^[A-Za-z_$][\w$]*_$/.test(name)).toBe(true);
          const file = ts.createSourceFile('x.ts', `class ${pascalCase(s)} {}\nconst ${mangleIdentifier(s)} = 1;\n`, ts.ScriptTarget.ES2022, true);
          expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
        }
        expect(fileBaseName(s)).toMatch(/^[a-z0-9_]+$/);
      }),
      { numRuns: 300 },
    );
    expect(mangleIdentifier('class')).toBe('class_');
    expect(mangleIdentifier('9lives')).toBe('_9lives');
    expect(pascalCase('llava_avlm/tiny')).toBe('LlavaAvlmTiny');
    expect(pascalCase('llava_avlm/frames[vision.input.frames=2,text_tokens=256]')).toBe('LlavaAvlmFramesVisionInputFrames2TextTokens256');
    expect(fileBaseName('llava_avlm/tiny')).toBe('llava_avlm_tiny');
  });

  it('NameAllocator hands out distinct names in call order, avoiding reserved ones', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'a_2', 'tf', 'constructor'), { maxLength: 12 }), (wanted) => {
        const names = new NameAllocator(['tf']);
        const got = wanted.map((w) => names.allocate(w));
        expect(new Set(got).size).toBe(got.length);
        expect(got).not.toContain('tf');
        expect(got).not.toContain('constructor');
      }),
    );
  });
});
