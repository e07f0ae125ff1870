/**
 * Properties over generated input (fast-check): the parser never throws or hangs on any text or
 * bytes and always answers with a file and well-formed diagnostics; a file without errors formats
 * to a fixed point that parses back to the same tree; printing any well-formed AST and parsing
 * the text gives that AST back, and printing any arithmetic tree keeps its value.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntaxDiagnostics } from '../../compiler/diagnostics/catalog/syntax.js';
import { hasErrors } from '../../compiler/diagnostics/create.js';
import type { Diagnostic } from '../../compiler/diagnostics/types.js';
import { formatSourceFile, formatText, parseFile, parseSource, type AssertDeclaration, type ParseResult } from '../../grammar/index.js';
import { arithmetic, evaluate, mutatedSpec, sourceFile, tokenSoup } from './arbitraries.js';
import { renderDiagnostics, specFiles, withoutSpans } from './helpers.js';

const syntaxCodes = new Set(Object.values(syntaxDiagnostics).map((entry) => entry.code));
const specs = specFiles().map((file) => readFileSync(file, 'utf8'));

/** The answer is a file plus diagnostics from the syntax catalog, each with a span inside the text and help. */
function expectWellFormed(result: ParseResult, text: string): void {
  expect(result.file.kind).toBe('SourceFile');
  expect(result.file.text).toBe(text);
  for (const diagnostic of result.diagnostics as Diagnostic[]) {
    expect(syntaxCodes.has(diagnostic.code)).toBe(true);
    expect(diagnostic.help).toBeTruthy();
    const span = diagnostic.span;
    expect(span).toBeDefined();
    if (span === undefined) continue;
    expect(span.offset).toBeGreaterThanOrEqual(0);
    expect(span.endOffset).toBeGreaterThanOrEqual(span.offset);
    expect(span.endOffset).toBeLessThanOrEqual(text.length);
    expect(span.line).toBeGreaterThanOrEqual(1);
    expect(span.column).toBeGreaterThanOrEqual(1);
  }
}

/** When the text has no errors: formatting is a fixed point and keeps the tree. */
function expectFormatRoundTrip(result: ParseResult): void {
  if (hasErrors(result.diagnostics)) return;
  const once = formatSourceFile(result.file);
  const again = formatText(once, 'formatted.mimo');
  expect(renderDiagnostics(again.diagnostics)).toBe('');
  expect(again.output).toBe(once);
  expect(withoutSpans(parseSource(once, 'formatted.mimo').file)).toEqual(withoutSpans(result.file));
}

describe('the parser never throws and never hangs', () => {
  it('on random text', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectWellFormed(parseSource(text, 'random.mimo'), text);
      }),
      { numRuns: 300 },
    );
  });

  it('on random token soup', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(tokenSoup, (text) => {
        const result = parseSource(text, 'soup.mimo');
        expectWellFormed(result, text);
        expectFormatRoundTrip(result);
      }),
      { numRuns: 300 },
    );
  });

  it('on random bytes', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = parseFile(bytes, 'bytes.mimo');
        expectWellFormed(result, result.file.text);
      }),
      { numRuns: 300 },
    );
  });

  it('on mutations of the specs', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(mutatedSpec(specs), (text) => {
        const result = parseSource(text, 'mutated.mimo');
        expectWellFormed(result, text);
        expectFormatRoundTrip(result);
      }),
      { numRuns: 200 },
    );
  });
});

describe('printing then parsing gives the tree back', () => {
  it('for generated ASTs', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(sourceFile, (file) => {
        const text = formatSourceFile(file);
        const parsed = parseSource(text, 'printed.mimo');
        expect(renderDiagnostics(parsed.diagnostics)).toBe('');
        expect(withoutSpans(parsed.file)).toEqual(withoutSpans(file));
        expect(formatSourceFile(parsed.file)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('for arithmetic trees the printer must parenthesize', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(arithmetic, (expression) => {
        const assertion: AssertDeclaration = { kind: 'AssertDeclaration', condition: expression, message: undefined, span: expression.span };
        const text = formatSourceFile({ kind: 'SourceFile', path: 'a.mimo', text: '', declarations: [assertion], comments: [], span: expression.span });
        const parsed = parseSource(text, 'a.mimo');
        expect(renderDiagnostics(parsed.diagnostics)).toBe('');
        const declaration = parsed.file.declarations[0];
        if (declaration.kind !== 'AssertDeclaration') throw new Error('expected an assert');
        expect(Object.is(evaluate(declaration.condition), evaluate(expression))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
