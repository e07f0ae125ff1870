/**
 * Source lines for snippets, split the way spans count lines (grammar/line-index.ts): at `\n`,
 * `\r\n` (one break) and a lone `\r`. Columns are 1-based UTF-16 code units, like `Span.column`.
 */
export function splitLines(text: string): readonly string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The width of one tab stop in rendered snippets. */
export const tabWidth = 4;

/**
 * Prepares a source line for a terminal: tabs become spaces up to the next tab stop and control
 * characters become U+FFFD (so a hostile file cannot emit escape sequences). `displayColumn(c)` maps
 * a 1-based UTF-16 column of the raw line to a 0-based screen column of `text`; columns past the
 * end of the line continue one screen column per code unit.
 */
export interface DisplayLine {
  readonly text: string;
  displayColumn(column: number): number;
}

export function toDisplayLine(raw: string): DisplayLine {
  // screen[i] = screen column where the code unit i starts.
  const screen: number[] = [];
  let text = '';
  let width = 0;
  for (let i = 0; i < raw.length; i++) {
    screen.push(width);
    const unit = raw.charCodeAt(i);
    if (unit === 0x09) {
      const spaces = tabWidth - (width % tabWidth);
      text += ' '.repeat(spaces);
      width += spaces;
    } else if (unit < 0x20 || unit === 0x7f || (unit >= 0x80 && unit < 0xa0)) {
      text += '\uFFFD';
      width += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < raw.length) {
      // A surrogate pair is one character on screen; its low half shares the column.
      text += raw.slice(i, i + 2);
      width += 1;
      i++;
      screen.push(width - 1);
    } else {
      text += raw[i];
      width += 1;
    }
  }
  return {
    text,
    displayColumn(column: number): number {
      const index = Math.max(0, column - 1);
      if (index < screen.length) return screen[index];
      return width + (index - raw.length);
    },
  };
}

/** The 1-based column of the first character that is not a space or tab (line length + 1 if none). */
export function firstNonBlankColumn(raw: string): number {
  const match = /[^ \t]/.exec(raw);
  return match === null ? raw.length + 1 : match.index + 1;
}
