/**
 * Line and column lookup for a decoded source text, and the one way spans are made from offsets.
 * Line breaks are `\n`, `\r\n` (one break) and a lone `\r`. Lines and columns are 1-based;
 * columns count UTF-16 code units from the start of the line, like offsets.
 */
import type { Span } from '../compiler/diagnostics/types.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export class LineIndex {
  /** Offset of the first character of each line; `lineStarts[0]` is 0. */
  private readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) starts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Line and column of an offset (clamped into the text). */
  position(offset: number): Position {
    const at = clamp(offset, this.text.length);
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: at - starts[low] + 1 };
  }

  /** The span of `[start, end)`; an `end` before `start` makes an empty span at `start`. */
  span(start: number, end: number = start): Span {
    const from = clamp(start, this.text.length);
    const to = Math.max(from, clamp(end, this.text.length));
    const a = this.position(from);
    const b = to === from ? a : this.position(to);
    return { file: this.path, offset: from, line: a.line, column: a.column, endOffset: to, endLine: b.line, endColumn: b.column };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    let end = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}

/** Span of `[start, end)` in `text`, for callers that make only a few spans. */
export function spanOf(path: string, text: string, start: number, end: number = start): Span {
  return new LineIndex(path, text).span(start, end);
}

function clamp(offset: number, length: number): number {
  if (!Number.isFinite(offset) || offset < 0) return offset > 0 ? length : 0;
  return offset > length ? length : Math.floor(offset);
}
