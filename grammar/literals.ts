/**
 * The values of literal tokens: strings with their escapes resolved, numbers with `_` removed.
 * Problems are returned (with offsets relative to the token) for the AST builder to report.
 */

export interface LiteralProblem {
  /** Offset of the problem inside the token's text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface DecodedString {
  readonly value: string;
  readonly invalidEscapes: readonly LiteralProblem[];
}

const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/** The value of a string token (`"..."`, or an unclosed `"...` that the lexer already reported). */
export function decodeString(image: string): DecodedString {
  const closed = image.length >= 2 && image.endsWith('"') && !endsWithEscape(image);
  const body = image.slice(1, closed ? -1 : undefined);
  if (!body.includes('\\')) return { value: body, invalidEscapes: [] };
  let value = '';
  const invalidEscapes: LiteralProblem[] = [];
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) break; // a lone `\` at the end of an unclosed string
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      value += simple;
      i++;
      continue;
    }
    if (next === 'u') {
      const match = /^\{([0-9A-Fa-f]{1,6})\}/.exec(body.slice(i + 2));
      const codePoint = match === null ? undefined : Number.parseInt(match[1], 16);
      if (match !== null && codePoint !== undefined && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        value += String.fromCodePoint(codePoint);
        i += 1 + match[0].length;
        continue;
      }
      const length = match === null ? 2 : 2 + match[0].length;
      invalidEscapes.push({ start: i + 1, end: i + 1 + length, text: body.slice(i, i + length) });
      i += length - 1;
      continue;
    }
    const escapeLength = next.length + 1;
    invalidEscapes.push({ start: i + 1, end: i + 1 + escapeLength, text: body.slice(i, i + escapeLength) });
    value += next;
    i++;
  }
  return { value, invalidEscapes };
}

/** True when the final `"` is escaped (`"abc\"`), which makes the string unclosed. */
function endsWithEscape(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Writes a string value as a literal: `"`, `\` and control characters escaped. */
export function encodeString(value: string): string {
  let out = '"';
  for (const char of value) {
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (/[\p{Cc}\u2028\u2029]/u.test(char)) out += `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}

export interface ParsedNumber {
  /** Digits without `_`. */
  readonly raw: string;
  readonly value: number;
  readonly isInteger: boolean;
  /** The text is not a well-formed number (misplaced `_`, letters, an empty exponent). */
  readonly malformed: boolean;
  /** Well-formed but beyond the range of a double. */
  readonly outOfRange: boolean;
}

const wellFormedNumber = /^[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?$/;

export function parseNumber(image: string): ParsedNumber {
  const malformed = !wellFormedNumber.test(image);
  const raw = image.replace(/_/g, '');
  const isInteger = !/[.eE]/.test(raw);
  const value = malformed ? Number.NaN : Number(raw);
  return { raw, value, isInteger, malformed, outOfRange: !malformed && !Number.isFinite(value) };
}
