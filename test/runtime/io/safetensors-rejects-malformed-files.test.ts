import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetensorsError, readSafetensors, writeSafetensors } from '../../../runtime/io/index.js';

/** A file from a header (object or raw text) and a data buffer of `dataLength` bytes. */
function file(header: unknown, dataLength = 0, declaredLength?: number): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  return out;
}

function failure(bytes: Uint8Array): SafetensorsError {
  try {
    readSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return error as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError');
}

const f32 = (shape: number[], begin: number, end: number): unknown => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('safetensors rejects malformed files with a typed error', () => {
  const cases: [string, Uint8Array, string, RegExp, string?][] = [
    ['an empty file', new Uint8Array(0), 'safetensors-truncated', /0 bytes long/],
    ['a file shorter than the length prefix', new Uint8Array(5), 'safetensors-truncated', /5 bytes long/],
    ['a header longer than the limit', file('{}', 0, 200_000_000), 'safetensors-header-too-large', /200000000 bytes/],
    ['a header length of 2^64 - 1', (() => { const b = file('{}'); b.fill(0xff, 0, 8); return b; })(), 'safetensors-header-too-large', /limit/],
    ['a header running past the end', file('{}', 0, 10), 'safetensors-truncated', /header is 10 bytes but only 2/],
    ['a header that is not UTF-8', (() => { const b = file('{"\u00e9":1}'); b[10] = 0xff; return b; })(), 'safetensors-header-not-utf8', /UTF-8/],
    ['a header not starting with {', file(' {}'), 'safetensors-header-not-object', /must start with `\{`/],
    ['a header that is a list', file('[1,2]'), 'safetensors-header-not-object', /must start/],
    ['a header that is not JSON', file('{"a": '), 'safetensors-header-not-json', /not valid JSON/],
    ['metadata that is not an object', file({ __metadata__: [1] }), 'safetensors-bad-metadata', /must be an object of strings/],
    ['metadata with a number value', file({ __metadata__: { epoch: 3 } }), 'safetensors-bad-metadata', /metadata `epoch` must be a string, found 3/],
    ['an entry that is not an object', file({ w: 'F32' }), 'safetensors-bad-entry', /tensor `w` must be described by an object/, 'w'],
    ['an entry with an unknown field', file({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4], extra: 1 } }, 4), 'safetensors-bad-entry', /unknown field `extra`/, 'w'],
    ['an unsupported dtype', file({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), 'safetensors-bad-dtype', /tensor `w` has dtype "F8_E4M3"/, 'w'],
    ['a missing dtype', file({ w: { shape: [1], data_offsets: [0, 4] } }, 4), 'safetensors-bad-dtype', /dtype nothing/, 'w'],
    ['a negative dimension', file({ w: f32([-1], 0, 4) }, 4), 'safetensors-bad-shape', /shape \[-1\]/, 'w'],
    ['a fractional dimension', file({ w: f32([1.5], 0, 6) }, 6), 'safetensors-bad-shape', /shape \[1.5\]/, 'w'],
    ['a shape that is not a list', file({ w: { dtype: 'F32', shape: 4, data_offsets: [0, 16] } }, 16), 'safetensors-bad-shape', /shape 4/, 'w'],
    ['a shape too large to address', file({ w: f32([2 ** 30, 2 ** 30, 2 ** 30], 0, 4) }, 4), 'safetensors-bad-shape', /too many elements/, 'w'],
    ['offsets of the wrong length', file({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4), 'safetensors-bad-offsets', /data_offsets \[0\]/, 'w'],
    ['offsets begin after end', file({ w: f32([0], 4, 0) }, 4), 'safetensors-bad-offsets', /begin <= end/, 'w'],
    ['negative offsets', file({ w: f32([1], -4, 0) }, 4), 'safetensors-bad-offsets', /\[-4,0\]/, 'w'],
    ['a byte range that does not fit shape and dtype', file({ w: f32([2, 3], 0, 20) }, 20), 'safetensors-size-mismatch', /\[2, 3\] of F32 \(24 bytes\) but data_offsets \[0, 20\] span 20/, 'w'],
    ['a tensor past the end of the data', file({ a: f32([1], 0, 4), w: f32([2], 4, 12) }, 8), 'safetensors-truncated', /tensor `w` ends at data byte 12 but the file holds only 8/, 'w'],
    ['overlapping tensors', file({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), 'safetensors-overlap', /`b` \(bytes 4..12\) overlaps tensor `a` \(bytes 0..8\)/, 'b'],
    ['a gap between tensors', file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12), 'safetensors-gap', /data bytes 4..8 before tensor `b`/, 'b'],
    ['bytes after the last tensor', file({ a: f32([1], 0, 4) }, 9), 'safetensors-trailing-bytes', /9 bytes but the tensors cover only 4/],
  ];
  for (const [what, bytes, code, message, tensor] of cases) {
    it(`refuses ${what}`, () => {
      const error = failure(bytes);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/help: /);
      expect(error.tensor).toBe(tensor);
    });
  }

  it('accepts a header padded with spaces, metadata, empty tensors and an empty file body', () => {
    const read = readSafetensors(file('{"__metadata__":{"a":"b"},"e":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}      '));
    expect(read.tensors.get('e')?.data.length).toBe(0);
    expect(read.metadata.get('a')).toBe('b');
    expect(readSafetensors(file('{}')).tensors.size).toBe(0);
  });

  it('keeps a `__proto__` metadata key as plain data', () => {
    const read = readSafetensors(file('{"__metadata__":{"__proto__":"x"}}'));
    expect(read.metadata.get('__proto__')).toBe('x');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

/** Reading either succeeds with consistent tensors or throws a SafetensorsError: never anything else. */
function readsOrRefuses(bytes: Uint8Array): void {
  let read: ReturnType<typeof readSafetensors>;
  try {
    read = readSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return;
  }
  for (const tensor of read.tensors.values()) {
    expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
  }
}

describe('safetensors fuzzing: random input only ever raises SafetensorsError', () => {
  const valid = writeSafetensors(
    { a: { shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }, b: { shape: [3], data: Float32Array.of(5, 6, 7), dtype: 'F16' } },
    { metadata: { k: 'v' } },
  );

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), readsOrRefuses), { numRuns: 2000 });
  });

  it('on random bytes after a plausible length prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(220), (body, length) => {
        const bytes = new Uint8Array(8 + body.length);
        new DataView(bytes.buffer).setUint32(0, length, true);
        bytes.set(body, 8);
        readsOrRefuses(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('on valid files with bytes changed, cut or appended', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(valid.length),
        fc.uint8Array({ maxLength: 8 }),
        (edits, cut, tail) => {
          const bytes = valid.slice();
          for (const [at, value] of edits) bytes[at] = value;
          const changed = new Uint8Array([...bytes.subarray(0, Math.max(cut, valid.length - 16)), ...tail]);
          readsOrRefuses(bytes);
          readsOrRefuses(bytes.subarray(0, cut));
          readsOrRefuses(changed);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on random JSON headers', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(64), (header, dataLength) => readsOrRefuses(file(header ?? null, dataLength))), { numRuns: 1000 });
  });

  it('on headers of random tensor entries', () => {
    const dtype = fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL', 'F8_E5M2', 'f32', '');
    const dim = fc.oneof(fc.nat(5), fc.integer({ min: -2, max: 2 }), fc.constant(2 ** 53), fc.double());
    const entry = fc.record({
      dtype,
      shape: fc.array(dim, { maxLength: 3 }),
      data_offsets: fc.oneof(fc.tuple(fc.nat(80), fc.nat(80)), fc.array(fc.integer({ min: -5, max: 80 }), { maxLength: 3 })),
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), entry, { maxKeys: 4 }), fc.nat(80), (header, dataLength) =>
        readsOrRefuses(file(header, dataLength))),
      { numRuns: 3000 },
    );
  });
});
