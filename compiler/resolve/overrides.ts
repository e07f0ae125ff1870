/**
 * `--set path=value` overrides. Each is parsed with the language's own grammar (as the body of a
 * variant), so values are written exactly as in a `.mimo` file. Each override becomes a small
 * pseudo-file named `<--set N>` whose text is the argument, so diagnostics point into it and
 * renderers can show it.
 */
import type { Assignment, SourceFile } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { LineIndex } from '../../grammar/line-index.js';

/** Parses text as a source file (the grammar's `parseSource`). */
export type ParseText = (text: string, path: string) => { readonly file: SourceFile; readonly diagnostics: readonly Diagnostic[] };

export interface ParsedOverride {
  /** The pseudo-file's name, `<--set 1>`. */
  readonly file: string;
  readonly text: string;
  readonly assignment: Assignment;
}

export function overrideFileName(index: number): string {
  return `<--set ${index + 1}>`;
}

/** Parses one `--set` argument; diagnostics point into its pseudo-file. */
export function parseOverride(text: string, index: number, parse: ParseText): { override: ParsedOverride | undefined; diagnostics: Diagnostic[] } {
  const file = overrideFileName(index);
  const whole = new LineIndex(file, text).span(0, text.length);
  const malformed = (reason: string, help: string): { override: undefined; diagnostics: Diagnostic[] } => ({
    override: undefined,
    diagnostics: [createDiagnostic(resolveDiagnostics.malformedOverride, whole, { text, reason }, { help })],
  });
  if (/[\r\n]/.test(text)) return malformed('it spans several lines', 'write the override on one line: `--set decoder.layers=12`');
  if (!text.includes('=')) return malformed('there is no `=`', 'write `--set PATH=VALUE`, e.g. `--set vision.input.frames=4`');
  // Parsed as the only assignment of a variant; the prefix is cut from every span afterwards.
  const prefix = 'variant set of set { ';
  const parsed = parse(`${prefix}${text} }`, file);
  const shift = (span: Span): Span => shiftSpan(span, prefix.length, text.length);
  const diagnostics = parsed.diagnostics.map((d) => remapDiagnostic(d, shift));
  if (diagnostics.length > 0) return { override: undefined, diagnostics };
  const declaration = parsed.file.declarations[0];
  if (parsed.file.declarations.length !== 1 || declaration?.kind !== 'VariantDeclaration' || declaration.assignments.length !== 1) {
    return malformed('it is not one `path=value`', 'write exactly one assignment per `--set`, e.g. `--set decoder.layers=12`');
  }
  return { override: { file, text, assignment: mapSpans(declaration.assignments[0], shift) }, diagnostics: [] };
}

function shiftSpan(span: Span, by: number, length: number): Span {
  const clamp = (offset: number) => Math.min(Math.max(offset - by, 0), length);
  const offset = clamp(span.offset);
  const endOffset = clamp(span.endOffset);
  return { ...span, offset, endOffset, line: 1, endLine: 1, column: offset + 1, endColumn: endOffset + 1 };
}

function remapDiagnostic(diagnostic: Diagnostic, shift: (span: Span) => Span): Diagnostic {
  return {
    ...diagnostic,
    span: diagnostic.span === undefined ? undefined : shift(diagnostic.span),
    related: diagnostic.related.map((r) => ({ ...r, span: shift(r.span) })),
    fix: diagnostic.fix === undefined ? undefined : { ...diagnostic.fix, span: shift(diagnostic.fix.span) },
  };
}

/** A deep copy of an AST node with every `span` passed through `shift`. */
function mapSpans<T>(node: T, shift: (span: Span) => Span): T {
  if (Array.isArray(node)) return node.map((item: unknown) => mapSpans(item, shift)) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'span' ? shift(value as Span) : mapSpans(value, shift);
  }
  return out as T;
}
