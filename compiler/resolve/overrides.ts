/**
 * `--set path=value` overrides. The value is parsed with the language's own expression grammar,
 * so values are written exactly as in a `.mimo` file. Each override becomes a small
 * pseudo-file named `<--set N>` whose text is the argument, so diagnostics point into it and
 * renderers can show it.
 */
import type { Assignment, Identifier, PathExpression, SourceFile } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { LineIndex } from '../../grammar/index.js';

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
  const lines = new LineIndex(file, text);
  const malformed = (reason: string, help: string): { override: undefined; diagnostics: Diagnostic[] } => ({
    override: undefined,
    diagnostics: [createDiagnostic(resolveDiagnostics.malformedOverride, lines.span(0, text.length), { text, reason }, { help })],
  });
  if (/[\r\n]/.test(text)) return malformed('it spans several lines', 'write the override on one line: `--set decoder.layers=12`');
  const equals = text.indexOf('=');
  if (equals === -1) return malformed('there is no `=`', 'write `--set PATH=VALUE`, e.g. `--set vision.input.frames=4`');
  const path = parsePath(text, equals, lines);
  if (path === undefined) return malformed('the part before `=` is not a dotted path', 'a path is names joined by dots, e.g. `decoder.layers` or `vision.input.frames`');
  const valueText = text.slice(equals + 1);
  if (valueText.trim() === '') return malformed('the value after `=` is missing', `give a value, e.g. \`--set ${path.segments.map((s) => s.name).join('.')}=12\``);

  // The value is parsed as the condition of an `assert`, then every span is moved back onto the
  // argument's text (and so are positions quoted inside messages).
  const prefix = 'assert ';
  const shift = equals + 1 - prefix.length;
  const parsed = parse(prefix + valueText, file);
  const move = (span: Span): Span => lines.span(span.offset + shift, span.endOffset + shift);
  if (parsed.diagnostics.length > 0) return { override: undefined, diagnostics: parsed.diagnostics.map((d) => remapDiagnostic(d, move, shift)) };
  const declaration = parsed.file.declarations[0];
  if (parsed.file.declarations.length !== 1 || declaration?.kind !== 'AssertDeclaration' || declaration.message !== undefined) {
    return malformed('the value after `=` is not one expression', 'write one value, e.g. `--set vision.input.frames=4` or `--set vision.encoder=clip_vit("ViT-B/16")`');
  }
  const value = mapSpans(declaration.condition, move);
  const assignment: Assignment = { kind: 'Assignment', path, value, span: lines.span(path.span.offset, value.span.endOffset) };
  return { override: { file, text, assignment }, diagnostics: [] };
}

const pathPattern = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;

/** The dotted path before `=`, with a span for every segment. */
function parsePath(text: string, equals: number, lines: LineIndex): PathExpression | undefined {
  const head = text.slice(0, equals);
  if (!pathPattern.test(head)) return undefined;
  const segments: Identifier[] = [];
  for (const match of head.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const start = match.index ?? 0;
    segments.push({ kind: 'Identifier', name: match[0], span: lines.span(start, start + match[0].length) });
  }
  const first = segments[0].span;
  const last = segments[segments.length - 1].span;
  return { kind: 'PathExpression', segments, span: lines.span(first.offset, last.endOffset) };
}

function remapDiagnostic(diagnostic: Diagnostic, move: (span: Span) => Span, shift: number): Diagnostic {
  // Messages such as "`(` opened at 1:9 is never closed" quote positions of the parsed text.
  const message = diagnostic.message.replace(/\bat 1:(\d+)/g, (_, column: string) => `at 1:${Number(column) + shift}`);
  return {
    ...diagnostic,
    message,
    span: diagnostic.span === undefined ? undefined : move(diagnostic.span),
    related: diagnostic.related.map((r) => ({ ...r, span: move(r.span) })),
    fix: diagnostic.fix === undefined ? undefined : { ...diagnostic.fix, span: move(diagnostic.fix.span) },
  };
}

/** A deep copy of an AST node with every `span` passed through `move`. */
function mapSpans<T>(node: T, move: (span: Span) => Span): T {
  if (Array.isArray(node)) return node.map((item: unknown) => mapSpans(item, move)) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'span' ? move(value as Span) : mapSpans(value, move);
  }
  return out as T;
}
