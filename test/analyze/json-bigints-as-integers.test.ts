/**
 * `stringifyJson` prints BigInts as exact JSON integers and everything else as JSON.stringify does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../compiler/analyze/index.js';

describe('stringifyJson', () => {
  it('prints values above 2^53 exactly, as bare integers', () => {
    const text = stringifyJson({ flops: 123_456_789_012_345_678_901n, small: 7n, negative: -9_007_199_254_740_993n }, 0);
    expect(text).toBe('{"flops":123456789012345678901,"small":7,"negative":-9007199254740993}');
  });

  it('agrees with JSON.stringify on data without BigInts, at any indent', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        expect(stringifyJson(value, indent)).toBe(JSON.stringify(value, null, indent));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out undefined members and writes undefined array items as null', () => {
    expect(stringifyJson({ a: undefined, b: [undefined, 1n] }, 0)).toBe('{"b":[null,1]}');
  });

  it('parses back to the same numbers where they are safe', () => {
    const value = { params: { total: 124_439_808n, by_module: { 'decoder.head': 0n } }, name: 'x"y' };
    expect(JSON.parse(stringifyJson(value))).toEqual({ params: { total: 124439808, by_module: { 'decoder.head': 0 } }, name: 'x"y' });
  });
});
