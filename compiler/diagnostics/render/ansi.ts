/** ANSI styles for terminal output. Renderers apply them only when asked for colour. */
export const ansi = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  boldRed: '\x1b[1;31m',
  boldYellow: '\x1b[1;33m',
  boldGreen: '\x1b[1;32m',
  boldCyan: '\x1b[1;36m',
  boldBlue: '\x1b[1;34m',
} as const;

export type Painter = (style: string, text: string) => string;

export function painter(color: boolean): Painter {
  return color ? (style, text) => (text === '' ? '' : `${style}${text}${ansi.reset}`) : (_style, text) => text;
}
