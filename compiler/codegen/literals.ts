/**
 * Spec values as TypeScript source: string literals and comment text that no input can break out
 * of, and plain data (the checked model's configuration) as object literals.
 */
import { isSafeIdentifier } from './identifiers.js';

/**
 * A single-quoted string literal for any string: backslash, quote, every control character, the
 * line and paragraph separators, and lone surrogates are escaped.
 */
export function stringLiteral(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i];
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff && !isPairedSurrogate(text, i))) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      out += ch + text[i + 1];
      i++;
    } else out += ch;
  }
  return `${out}'`;
}

function isPairedSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff;
  }
  return false; // a low surrogate reached here had no high surrogate before it
}

/**
 * Text safe inside a `/** … *\/` or `//` comment: one line, no comment terminator, printable.
 * Spec strings appear in doc comments only through this.
 */
export function commentText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/[\ud800-\udfff]/g, '\ufffd')
    .replace(/\*\//g, '*\u2215')
    .replace(/@/g, '\uff20');
}

/**
 * A property key: bare when it is a safe identifier, else a string literal; `__proto__` is
 * computed (`['__proto__']`), the only spelling that makes an own property rather than a prototype.
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return `[${stringLiteral(key)}]`;
  return isSafeIdentifier(key) ? key : stringLiteral(key);
}

/** `object.key` or `object['key']`. */
export function propertyAccess(object: string, key: string): string {
  return isSafeIdentifier(key) ? `${object}.${key}` : `${object}[${stringLiteral(key)}]`;
}

/** A number literal; only finite numbers exist in checked models. */
export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a literal`);
  return Object.is(n, -0) ? '0' : String(n);
}

export type PlainValue = string | number | boolean | undefined | readonly PlainValue[] | { readonly [key: string]: PlainValue };

/**
 * Plain data as a multi-line object literal, keys in the object's own order, `undefined`
 * properties left out. Short arrays of numbers stay on one line.
 */
export function valueLiteral(value: PlainValue, indent = ''): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value as readonly PlainValue[];
    if (items.length === 0) return '[]';
    if (items.every((v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) return `[${items.map((v) => valueLiteral(v)).join(', ')}]`;
    return `[\n${items.map((v) => `${inner}${valueLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: PlainValue }).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${valueLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}
