/**
 * Bytes to source text. A file must be UTF-8; a UTF-8 byte order mark is dropped. Problems are
 * diagnostics, never exceptions: invalid UTF-8 becomes U+FFFD in the text and an error at the bad
 * byte, a NUL byte is an error where it stands, and a file that is mostly binary is one error and
 * an empty text (so later stages never see the garbage). Line ends are kept as they are.
 */
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { LineIndex } from './line-index.js';

export { LineIndex, spanOf, type Position } from './line-index.js';

export interface DecodedSource {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/** At most this many invalid-byte and NUL diagnostics per file; the rest add nothing useful. */
const MAX_BYTE_DIAGNOSTICS = 20;
/** A file with at least this share and count of suspicious bytes (NUL, control characters, invalid UTF-8) is binary. */
const BINARY_RATIO = 0.1;
const BINARY_MIN_COUNT = 8;

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface BadByte {
  /** Offset of the U+FFFD (or NUL) in the decoded text. */
  readonly offset: number;
  readonly byte: number;
  readonly problem: string;
}

export function decodeSource(bytes: Uint8Array, path: string): DecodedSource {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const encoding = bytes[0] === 0xff ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)';
    const diagnostic = createDiagnostic(syntaxDiagnostics.unsupportedEncoding, new LineIndex(path, '').span(0), { path, encoding }, {
      help: 'save the file as UTF-8 (without a byte order mark)',
    });
    return { text: '', diagnostics: [diagnostic] };
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;

  let text: string;
  let badBytes: BadByte[] = [];
  try {
    text = strictDecoder.decode(body);
  } catch {
    ({ text, badBytes } = decodeLenient(body));
  }

  if (looksBinary(body, text, badBytes.length)) {
    const diagnostic = createDiagnostic(syntaxDiagnostics.binaryFile, new LineIndex(path, '').span(0), { path }, {
      help: 'mimo source is UTF-8 text; check that the right file was named',
    });
    return { text: '', diagnostics: [diagnostic] };
  }

  const problems: BadByte[] = [...badBytes];
  for (let at = text.indexOf('\0'); at !== -1; at = text.indexOf('\0', at + 1)) {
    problems.push({ offset: at, byte: 0, problem: '' });
    if (problems.length > MAX_BYTE_DIAGNOSTICS) break;
  }
  if (problems.length === 0) return { text, diagnostics: [] };

  problems.sort((a, b) => a.offset - b.offset);
  const lines = new LineIndex(path, text);
  const diagnostics = problems.slice(0, MAX_BYTE_DIAGNOSTICS).map((bad) =>
    bad.problem === ''
      ? createDiagnostic(syntaxDiagnostics.nulByte, lines.span(bad.offset, bad.offset + 1), {}, {
          help: 'remove the zero byte; mimo source is plain text',
        })
      : createDiagnostic(syntaxDiagnostics.invalidUtf8, lines.span(bad.offset, bad.offset + 1), { byte: hex(bad.byte), problem: bad.problem }, {
          help: 'save the file as UTF-8',
        }),
  );
  return { text, diagnostics };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** Control characters other than tab, line feed, form feed and carriage return, plus invalid sequences. */
function looksBinary(bytes: Uint8Array, text: string, invalidSequences: number): boolean {
  if (bytes.length === 0) return false;
  let suspicious = invalidSequences;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) suspicious++;
  }
  return suspicious >= Math.max(BINARY_MIN_COUNT, text.length * BINARY_RATIO);
}

/**
 * The WHATWG UTF-8 decoder with replacement (what `TextDecoder` does), written out so that each
 * U+FFFD it emits is known with its offset in the output and the byte that caused it.
 */
function decodeLenient(bytes: Uint8Array): { text: string; badBytes: BadByte[] } {
  const units: number[] = [];
  const chunks: string[] = [];
  let length = 0;
  const badBytes: BadByte[] = [];
  const flush = (): void => {
    chunks.push(String.fromCharCode(...units));
    units.length = 0;
  };
  const emit = (codePoint: number): void => {
    if (codePoint > 0xffff) {
      const v = codePoint - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      length += 2;
    } else {
      units.push(codePoint);
      length += 1;
    }
    if (units.length >= 8192) flush();
  };
  const fail = (byte: number, problem: string): void => {
    badBytes.push({ offset: length, byte, problem });
    emit(0xfffd);
  };

  let needed = 0;
  let seen = 0;
  let codePoint = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let lead = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (needed === 0) {
      if (byte <= 0x7f) emit(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        codePoint = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        codePoint = byte & 0x7;
      } else {
        fail(byte, byte >= 0x80 && byte <= 0xbf ? 'is a continuation byte without a lead byte' : 'never appears in UTF-8');
      }
      lead = byte;
      continue;
    }
    if (byte < lower || byte > upper) {
      needed = seen = codePoint = 0;
      lower = 0x80;
      upper = 0xbf;
      fail(lead, 'starts a sequence that is cut short');
      i--; // the byte is read again as the start of a new sequence
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    seen++;
    if (seen === needed) {
      emit(codePoint);
      needed = seen = codePoint = 0;
    }
  }
  if (needed !== 0) fail(lead, 'starts a sequence that is cut short by the end of the file');
  flush();
  return { text: chunks.join(''), badBytes };
}
