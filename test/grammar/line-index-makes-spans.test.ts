/** LineIndex: 1-based lines and columns from offsets; `\n`, `\r\n` and a lone `\r` each end one line. */
import { describe, expect, it } from 'vitest';
import { LineIndex, spanOf } from '../../grammar/index.js';

describe('LineIndex', () => {
  const lines = new LineIndex('a.mimo', 'ab\ncd\r\nef\rgh');

  it('finds lines and columns for every kind of line break', () => {
    expect(lines.lineCount).toBe(4);
    expect(lines.position(0)).toEqual({ line: 1, column: 1 });
    expect(lines.position(3)).toEqual({ line: 2, column: 1 });
    expect(lines.position(7)).toEqual({ line: 3, column: 1 });
    expect(lines.position(10)).toEqual({ line: 4, column: 1 });
    expect(lines.position(11)).toEqual({ line: 4, column: 2 });
  });

  it('gives the same answers in any order of lookups', () => {
    const offsets = [11, 0, 7, 3, 10, 5, 1, 12, 8];
    const fresh = offsets.map((offset) => new LineIndex('a.mimo', lines.text).position(offset));
    expect(offsets.map((offset) => lines.position(offset))).toEqual(fresh);
  });

  it('makes spans with start and end positions', () => {
    expect(lines.span(3, 9)).toEqual({ file: 'a.mimo', offset: 3, line: 2, column: 1, endOffset: 9, endLine: 3, endColumn: 3 });
    expect(spanOf('b.mimo', 'x\ny', 2)).toEqual({ file: 'b.mimo', offset: 2, line: 2, column: 1, endOffset: 2, endLine: 2, endColumn: 1 });
  });

  it('clamps offsets outside the text', () => {
    expect(lines.span(-5, 999)).toMatchObject({ offset: 0, endOffset: lines.text.length });
  });

  it('returns line text without the line break', () => {
    expect([1, 2, 3, 4].map((line) => lines.lineText(line))).toEqual(['ab', 'cd', 'ef', 'gh']);
    expect(lines.lineStart(3)).toBe(7);
  });
});
