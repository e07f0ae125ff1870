/**
 * Human-readable diagnostics in the style of rustc and tsc:
 *
 *   error[MIMO1003]: expected a value after `layers`
 *    --> specs/x.mimo:3:10
 *     |
 *   3 |   layers
 *     |         ^
 *     = help: write a number, e.g. `layers 32`
 *
 * Related spans follow as `note:` blocks with their own snippet (underlined with `-`), a fix as a
 * `fix:` block showing the line after the change (inserted text underlined with `~`). Colour only
 * when `options.color` is true.
 */
import type { Diagnostic, Severity, Span } from '../types.js';
import { ansi, painter, type Painter } from './ansi.js';
import { firstNonBlankColumn, splitLines, toDisplayLine } from './source-lines.js';
import { countDiagnostics, summaryText } from './summary.js';

export interface PrettyOptions {
  /** Emit ANSI colours (the CLI: stdout is a TTY and NO_COLOR is unset). */
  readonly color: boolean;
  /** End with a `2 errors, 1 warning` line when there is anything to report (default true). */
  readonly summary?: boolean;
}

/** Spans longer than this many lines show their first and last lines around a `...`. */
const maxSpanLines = 6;
const keptLinesEachEnd = 2;

type SnippetRow =
  | { readonly kind: 'line'; readonly number: number; readonly text: string; readonly from: number; readonly width: number }
  | { readonly kind: 'elision' };

const severityStyle: Readonly<Record<Severity, string>> = {
  error: ansi.boldRed,
  warning: ansi.boldYellow,
  note: ansi.boldGreen,
};

export function renderPretty(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: PrettyOptions): string {
  const paint = painter(options.color);
  const blocks = diagnostics.map((diagnostic) => renderOne(diagnostic, sources, paint));
  const summary = summaryText(countDiagnostics(diagnostics));
  if (options.summary !== false && summary !== '') blocks.push(`${paint(ansi.bold, summary)}\n`);
  return blocks.join('\n');
}

function renderOne(diagnostic: Diagnostic, sources: ReadonlyMap<string, string>, paint: Painter): string {
  const primary = diagnostic.span === undefined ? undefined : snippetRows(diagnostic.span, sources.get(diagnostic.span.file));
  const related = diagnostic.related.map((item) => ({ item, rows: snippetRows(item.span, sources.get(item.span.file)) }));
  const fix = diagnostic.fix === undefined ? undefined : fixRows(diagnostic.fix.span, diagnostic.fix.replacement, sources.get(diagnostic.fix.span.file));

  const allRows = [primary, fix?.rows, ...related.map((r) => r.rows)].flatMap((rows) => rows ?? []);
  const width = Math.max(1, ...allRows.map((row) => (row.kind === 'line' ? String(row.number).length : 1)));
  const pad = ' '.repeat(width);
  const style = severityStyle[diagnostic.severity];
  const lines: string[] = [];

  lines.push(`${paint(style, `${diagnostic.severity}[${diagnostic.code}]`)}${paint(ansi.bold, `: ${cleanMessage(diagnostic.message)}`)}`);
  if (diagnostic.span !== undefined) {
    lines.push(`${pad}${paint(ansi.boldBlue, '-->')} ${location(diagnostic.span)}`);
    if (primary !== undefined) pushSnippet(lines, primary, '^', style, pad, paint);
  }
  if (diagnostic.help !== undefined) {
    lines.push(`${pad} ${paint(ansi.boldBlue, '=')} ${paint(ansi.bold, 'help')}: ${cleanMessage(diagnostic.help)}`);
  }
  for (const { item, rows } of related) {
    lines.push(`${paint(ansi.boldGreen, 'note')}: ${cleanMessage(item.message)}`);
    lines.push(`${pad}${paint(ansi.boldBlue, '-->')} ${location(item.span)}`);
    if (rows !== undefined) pushSnippet(lines, rows, '-', ansi.boldBlue, pad, paint);
  }
  if (diagnostic.fix !== undefined) {
    lines.push(`${paint(ansi.boldCyan, 'fix')}: ${cleanMessage(diagnostic.fix.description)}`);
    if (fix === undefined) {
      lines.push(`${pad}${paint(ansi.boldBlue, '-->')} ${location(diagnostic.fix.span)}`);
      const replacement = JSON.stringify(diagnostic.fix.replacement);
      lines.push(`${pad} ${paint(ansi.boldBlue, '=')} replace the text at this place with ${cleanMessage(replacement)}`);
    } else {
      if (diagnostic.fix.span.file !== diagnostic.span?.file) lines.push(`${pad}${paint(ansi.boldBlue, '-->')} ${location(diagnostic.fix.span)}`);
      pushSnippet(lines, fix.rows, fix.mark, ansi.boldGreen, pad, paint);
    }
  }
  return `${lines.join('\n')}\n`;
}

function location(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}

/** Messages are one line; control characters (escape sequences from a hostile source) are neutralised. */
function cleanMessage(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD');
}

function pushSnippet(lines: string[], rows: readonly SnippetRow[], mark: string, markStyle: string, pad: string, paint: Painter): void {
  const bar = paint(ansi.boldBlue, '|');
  lines.push(`${pad} ${bar}`);
  for (const row of rows) {
    if (row.kind === 'elision') {
      lines.push(`${pad} ${bar} ...`);
      continue;
    }
    const number = String(row.number).padStart(pad.length);
    lines.push(row.text === '' ? `${paint(ansi.boldBlue, number)} ${bar}` : `${paint(ansi.boldBlue, number)} ${bar} ${row.text}`);
    if (row.width > 0) lines.push(`${pad} ${bar} ${' '.repeat(row.from)}${paint(markStyle, mark.repeat(row.width))}`);
  }
}

/**
 * The lines a span covers, each with the screen columns to underline. A span on one line gets at
 * least one mark (an empty span points between two characters); a span over several lines marks
 * from its start to the end of its first line, the text of the lines between, and its last line up
 * to its end. Undefined when the text is unknown or the span lies outside it.
 */
function snippetRows(span: Span, text: string | undefined): readonly SnippetRow[] | undefined {
  if (text === undefined) return undefined;
  return rowsForRange(splitLines(text), span.line, span.column, span.endLine, span.endColumn);
}

function rowsForRange(lines: readonly string[], line: number, column: number, endLine: number, endColumn: number): readonly SnippetRow[] | undefined {
  if (line < 1 || line > lines.length) return undefined;
  const lastLine = Math.min(Math.max(endLine, line), lines.length);
  const rows: SnippetRow[] = [];
  for (let number = line; number <= lastLine; number++) {
    const raw = lines[number - 1];
    const display = toDisplayLine(raw);
    let start: number;
    let end: number;
    if (line === endLine) {
      start = column;
      end = Math.max(endColumn, column + 1);
    } else if (number === line) {
      start = column;
      end = Math.max(raw.length + 1, column + 1);
    } else if (number === endLine) {
      // A span that stops at the very start of a line does not touch that line.
      if (endColumn <= 1) break;
      start = Math.min(firstNonBlankColumn(raw), endColumn - 1);
      end = endColumn;
    } else {
      start = firstNonBlankColumn(raw);
      end = raw.length + 1;
    }
    const from = display.displayColumn(start);
    const width = Math.max(0, display.displayColumn(end) - from);
    rows.push({ kind: 'line', number, text: display.text.trimEnd(), from, width });
  }
  if (rows.length <= maxSpanLines) return rows;
  return [...rows.slice(0, keptLinesEachEnd), { kind: 'elision' }, ...rows.slice(rows.length - keptLinesEachEnd)];
}

/**
 * The fix shown as the text after applying it: the replaced lines with the new text underlined
 * with `~`, or for a deletion the current lines with the removed text underlined with `-`.
 */
function fixRows(span: Span, replacement: string, text: string | undefined): { rows: readonly SnippetRow[]; mark: string } | undefined {
  if (text === undefined) return undefined;
  const lines = splitLines(text);
  if (span.line < 1 || span.line > lines.length || span.endLine < span.line || span.endLine > lines.length) return undefined;
  if (replacement === '') {
    const rows = rowsForRange(lines, span.line, span.column, span.endLine, span.endColumn);
    return rows === undefined ? undefined : { rows, mark: '-' };
  }
  const before = lines[span.line - 1].slice(0, span.column - 1);
  const after = lines[span.endLine - 1].slice(span.endColumn - 1);
  const inserted = splitLines(replacement);
  const changed = splitLines(before + replacement + after);
  const patched = [...lines.slice(0, span.line - 1), ...changed, ...lines.slice(span.endLine)];
  const endLine = span.line + inserted.length - 1;
  const lastInserted = inserted[inserted.length - 1];
  const endColumn = inserted.length === 1 ? span.column + lastInserted.length : lastInserted.length + 1;
  const rows = rowsForRange(patched, span.line, span.column, endLine, endColumn);
  return rows === undefined ? undefined : { rows, mark: '~' };
}
