/**
 * Text (or bytes) to AST and diagnostics: decode, lex, check brackets, parse, build. Every pass
 * reports what it finds and the next pass still runs where it can, so a file's syntax errors all
 * come out in one run. Where two passes see the same problem (a missing `}` seen by the bracket
 * check and by the parser), only the clearer report is kept.
 */
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import type { SourceFile } from './ast.js';
import { AstBuilder } from './ast-builder.js';
import { keepParseErrors } from './cascade.js';
import { checkDelimiters } from './delimiters.js';
import { repairKeywords } from './keyword-repair.js';
import { lex } from './lexer.js';
import { LineIndex } from './line-index.js';
import { parseErrorsToDiagnostics, strayTokenDiagnostic } from './parse-errors.js';
import { parseDeclarations } from './parser.js';
import { decodeSource } from './source.js';

/** At most this many syntax diagnostics per file, then one note saying the rest were dropped. */
export const MAX_SYNTAX_DIAGNOSTICS = 100;

export interface ParseResult {
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
}

interface UncappedResult extends ParseResult {
  /** The parser gave up early on a badly broken file. */
  readonly stopped: boolean;
  readonly lines: LineIndex;
}

export function parseSource(text: string, path: string): ParseResult {
  const result = parseUncapped(text, path);
  return { file: result.file, diagnostics: finish(result.diagnostics, result.lines, result.stopped) };
}

function parseUncapped(text: string, path: string): UncappedResult {
  const lines = new LineIndex(path, text);
  const lexed = lex(lines);
  const delimiters = checkDelimiters(lexed.tokens, lines);
  if (delimiters.tooDeep) {
    const empty = new AstBuilder(lines).finish(lexed.comments);
    return { file: empty.file, diagnostics: [...lexed.diagnostics, ...delimiters.diagnostics], stopped: false, lines };
  }

  const repaired = repairKeywords(delimiters.tokens, lines);
  const builder = new AstBuilder(lines);
  const parsed = parseDeclarations(repaired.tokens, (declaration) => builder.add(declaration));
  const built = builder.finish(lexed.comments);
  const strays = parsed.leading.length > 0 ? [strayTokenDiagnostic(parsed.leading[0], lines)] : [];
  const reportedOffsets = new Set<number>(delimiters.reportedOffsets);
  for (const diagnostic of repaired.diagnostics) if (diagnostic.span) reportedOffsets.add(diagnostic.span.offset);
  const kept = keepParseErrors([...parseErrorsToDiagnostics(parsed.errors, lines), ...built.structural], {
    tokens: repaired.tokens,
    lexerErrorOffsets: lexed.diagnostics.filter((d) => d.code === syntaxDiagnostics.unexpectedCharacter.code).map((d) => d.span?.offset ?? 0),
    groups: delimiters.groups,
    reportedOffsets,
    unclosedAtEnd: delimiters.unclosedAtEnd,
  });
  return {
    file: built.file,
    diagnostics: [...lexed.diagnostics, ...delimiters.diagnostics, ...repaired.diagnostics, ...strays, ...kept, ...built.diagnostics],
    stopped: parsed.stoppedAt !== undefined,
    lines,
  };
}

/** Decode bytes (see `decodeSource`) and parse the text. A binary file is not parsed. */
export function parseFile(bytes: Uint8Array, path: string): ParseResult {
  const decoded = decodeSource(bytes, path);
  const result = parseUncapped(decoded.text, path);
  const lines = result.lines;
  if (decoded.diagnostics.length === 0) return { file: result.file, diagnostics: finish(result.diagnostics, lines, result.stopped) };
  // The lexer sees a NUL or U+FFFD as an unexpected character; decoding already said why it is there.
  const decodedAt = new Set(decoded.diagnostics.map((d) => d.span?.offset));
  const rest = result.diagnostics.filter((d) => !(d.code === syntaxDiagnostics.unexpectedCharacter.code && decodedAt.has(d.span?.offset)));
  return { file: result.file, diagnostics: finish([...decoded.diagnostics, ...rest], lines, result.stopped) };
}

/** Source order (stable for equal offsets), capped at MAX_SYNTAX_DIAGNOSTICS, with a note when some were left out. */
function finish(diagnostics: Diagnostic[], lines: LineIndex, stopped: boolean): Diagnostic[] {
  const ordered = diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => (a.diagnostic.span?.offset ?? 0) - (b.diagnostic.span?.offset ?? 0) || a.index - b.index)
    .map((item) => item.diagnostic);
  if (ordered.length <= MAX_SYNTAX_DIAGNOSTICS && !stopped) return ordered;
  const listed = ordered.slice(0, MAX_SYNTAX_DIAGNOSTICS);
  const last = listed[listed.length - 1]?.span;
  const note = createDiagnostic(syntaxDiagnostics.tooManyErrors, last ?? lines.span(0), { max: listed.length }, {
    help: 'fix these and run again to see the rest',
  });
  return [...listed, note];
}
