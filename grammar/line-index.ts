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
  /** Index of the line found by the last lookup. */
  private lastLine = 0;

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
    const line = this.lineIndexOf(at);
    return { line: line + 1, column: at - this.lineStarts[line] + 1 };
  }

  /** The span of `[start, end)`; an `end` before `start` makes an empty span at `start`. */
  span(start: number, end: number = start): Span {
    const from = clamp(start, this.text.length);
    const to = Math.max(from, clamp(end, this.text.length));
    const startLine = this.lineIndexOf(from);
    const endLine = to === from ? startLine : this.lineIndexOf(to);
    return {
      file: this.path,
      offset: from,
      line: startLine + 1,
      column: from - this.lineStarts[startLine] + 1,
      endOffset: to,
      endLine: endLine + 1,
      endColumn: to - this.lineStarts[endLine] + 1,
    };
  }

  /** 0-based index of the line holding `at` (already clamped). */
  private lineIndexOf(at: number): number {
    const starts = this.lineStarts;
    // Spans are mostly made near the previous one: try the last line found and its neighbours first.
    const hint = this.lastLine;
    if (starts[hint] <= at) {
      if (hint + 1 >= starts.length || at < starts[hint + 1]) return hint;
      if (hint + 2 >= starts.length || at < starts[hint + 2]) return (this.lastLine = hint + 1);
    } else if (hint > 0 && starts[hint - 1] <= at) {
      return (this.lastLine = hint - 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    return (this.lastLine = low);
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
