/** decodeSource: BOM dropped, line ends kept, invalid UTF-8 / NUL / binary / UTF-16 reported with positions, never thrown. */
import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../grammar/index.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

describe('decodeSource', () => {
  it('drops a UTF-8 byte order mark and keeps everything else', () => {
    expect(decodeSource(bytes([0xef, 0xbb, 0xbf], 'model m {}\n'), 'a.mimo')).toEqual({ text: 'model m {}\n', diagnostics: [] });
  });

  it('keeps CRLF line ends as they are', () => {
    expect(decodeSource(bytes('a\r\nb\r\n'), 'a.mimo').text).toBe('a\r\nb\r\n');
  });

  it('decodes an empty file to empty text without diagnostics', () => {
    expect(decodeSource(new Uint8Array(), 'a.mimo')).toEqual({ text: '', diagnostics: [] });
  });

  it('reports an invalid byte at its line and column and replaces it with U+FFFD', () => {
    const result = decodeSource(bytes('ab\r\ncd', [0xff], 'e'), 'a.mimo');
    expect(result.text).toBe('ab\r\ncd\uFFFDe');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'MIMO1012', message: 'invalid UTF-8: byte 0xFF never appears in UTF-8' });
    expect(result.diagnostics[0].span).toMatchObject({ line: 2, column: 3, offset: 6, endOffset: 7 });
  });

  it('counts columns in UTF-16 units after astral characters', () => {
    const result = decodeSource(bytes('😀', [0xc3], 'x'), 'a.mimo');
    expect(result.diagnostics[0].span).toMatchObject({ line: 1, column: 3 });
  });

  it('replaces each bad sequence like TextDecoder does', () => {
    const input = bytes('a', [0xe2, 0x82], 'b', [0xf0, 0x9f, 0x98], 'c', [0xed, 0xa0, 0x80], 'd', [0xc0, 0xaf]);
    const result = decodeSource(input, 'a.mimo');
    expect(result.text).toBe(new TextDecoder().decode(input));
    expect(result.diagnostics.map((d) => d.span?.offset)).toEqual([...result.text].flatMap((char, i) => (char === '\uFFFD' ? [i] : [])));
  });

  it('reports a sequence cut short by the end of the file', () => {
    const result = decodeSource(bytes('x', [0xf0, 0x9f]), 'a.mimo');
    expect(result.diagnostics[0].message).toBe('invalid UTF-8: byte 0xF0 starts a sequence that is cut short by the end of the file');
  });

  it('reports each NUL byte where it stands', () => {
    const result = decodeSource(bytes('model m {\n  layers 32', [0], '\n}\n'), 'a.mimo');
    expect(result.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([['MIMO1013', 2, 12]]);
  });

  it('reports a binary file once, with no text', () => {
    const garbage = new Uint8Array(512).map((_, i) => (i * 73 + 11) % 256);
    const result = decodeSource(garbage, 'blob.bin');
    expect(result.text).toBe('');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MIMO1014']);
    expect(result.diagnostics[0].message).toBe('`blob.bin` looks like a binary file, not mimo source');
  });

  it('names UTF-16 files instead of calling them binary', () => {
    const utf16 = bytes([0xff, 0xfe], [0x6d, 0, 0x0a, 0]);
    expect(decodeSource(utf16, 'a.mimo').diagnostics[0].message).toBe('`a.mimo` is encoded as UTF-16 (little-endian); mimo reads UTF-8 only');
  });

  it('caps byte diagnostics at 20 per file', () => {
    const text = bytes(...Array.from({ length: 50 }, () => 'model m { x 1 }\n'), [0xff], ...Array.from({ length: 30 }, (): (string | number[])[] => ['x', [0xff]]).flat());
    expect(decodeSource(text, 'a.mimo').diagnostics).toHaveLength(20);
  });
});
