import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat32,
  createRng,
  encodeBfloat16,
  encodeFloat16,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  readSafetensors,
  readSafetensorsHeader,
  type SafetensorsContent,
} from '../../../runtime/io/index.js';
import { runReference, scratchDir } from './reference-python.js';

/** Edge cases, ties, boundaries and random values, plus random bit patterns (all classes). */
function testValues(): Float32Array {
  const edges = [
    0, -0, 1, -1, 0.5, 1 / 3, 65504, -65504, 65519.99, 65520, 65536, 1e10, -1e10,
    2 ** -14, 2 ** -24, -(2 ** -24), 2 ** -25, 3 * 2 ** -26, 2 ** -26, 1e-8, 1e-40, -1e-45,
    1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 3.3895313892515355e38,
    Infinity, -Infinity, NaN,
  ];
  const rng = createRng(7, 'half');
  const random = Array.from({ length: 50_000 }, (_, i) => (rng.nextFloat64() - 0.5) * 10 ** ((i % 24) - 12));
  const bits = new Uint32Array(50_000);
  for (let i = 0; i < bits.length; i++) bits[i] = rng.nextUint32();
  return Float32Array.from([...edges, ...random, ...new Float32Array(bits.buffer)]);
}

const values = testValues();
const scratch = scratchDir();
let reference: SafetensorsContent;
let referenceBytes: Uint8Array;

beforeAll(() => {
  writeFileSync(join(scratch.path, 'values.f32'), new Uint8Array(values.buffer));
  runReference('halfprec_reference.py', { values: join(scratch.path, 'values.f32'), output: join(scratch.path, 'half.safetensors') });
  referenceBytes = new Uint8Array(readFileSync(join(scratch.path, 'half.safetensors')));
  reference = readSafetensors(referenceBytes);
}, 120_000);
afterAll(() => scratch.remove());

function rawBits(name: string): Uint16Array {
  const header = readSafetensorsHeader(referenceBytes);
  const entry = header.entries.find((e) => e.name === name)!;
  return new Uint16Array(referenceBytes.slice(header.dataStart + entry.begin, header.dataStart + entry.end).buffer);
}

function expectSameBits(ours: Uint16Array, theirs: Uint16Array, isNaN: (bits: number) => boolean): void {
  expect(ours.length).toBe(theirs.length);
  let mismatches = 0;
  for (let i = 0; i < ours.length; i++) {
    // NaN payloads may differ between implementations; NaN must stay NaN.
    const same = isNaN(theirs[i]) ? isNaN(ours[i]) : ours[i] === theirs[i];
    if (!same && mismatches++ < 5) console.error(`value ${values[i]}: ours 0x${ours[i].toString(16)} theirs 0x${theirs[i].toString(16)}`);
  }
  expect(mismatches).toBe(0);
}

describe('float16 and bfloat16 conversion', () => {
  it('encodes float16 exactly as numpy (round to nearest even, overflow to Inf, subnormals)', () => {
    expectSameBits(encodeFloat16(values), rawBits('values_f16'), (b) => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0);
  });

  it('encodes bfloat16 exactly as torch', () => {
    expectSameBits(encodeBfloat16(values), rawBits('values_bf16'), (b) => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0);
  });

  it('decodes the reference float16 and bfloat16 tensors to the values numpy and torch give', () => {
    for (const name of ['values_f16', 'values_bf16']) {
      const ours = new Uint32Array(reference.tensors.get(name)!.data.buffer);
      const theirs = new Uint32Array(reference.tensors.get(`${name}_as_f32`)!.data.buffer);
      const differing = ours.filter((bits, i) => bits !== theirs[i] && !((bits & 0x7fffffff) > 0x7f800000 && (theirs[i] & 0x7fffffff) > 0x7f800000));
      expect(differing.length).toBe(0);
    }
  });

  it('round-trips every float16 and bfloat16 bit pattern through float32', () => {
    const broken: number[] = [];
    for (let bits = 0; bits < 65536; bits++) {
      const f16 = float16BitsToFloat32(bits);
      const f16Back = float32ToFloat16Bits(f16);
      if (Number.isNaN(f16) ? !Number.isNaN(float16BitsToFloat32(f16Back)) : f16Back !== bits) broken.push(bits);
      const bf16 = bfloat16BitsToFloat32(bits);
      const bf16Back = float32ToBfloat16Bits(bf16);
      if (Number.isNaN(bf16) ? !Number.isNaN(bfloat16BitsToFloat32(bf16Back)) : bf16Back !== bits) broken.push(bits);
    }
    expect(broken).toEqual([]);
  });

  it('handles the named edge cases', () => {
    expect(float32ToFloat16Bits(65519.99)).toBe(0x7bff); // rounds down to 65504
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // the tie rounds to Inf
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal: even
    expect(float32ToFloat16Bits(3 * 2 ** -26)).toBe(1);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(NaN)).toBe(0x7e00);
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie to even (down)
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie to even (up)
    expect(float32ToBfloat16Bits(3.4028234663852886e38)).toBe(0x7f80); // max float rounds to Inf
  });
});

describe('reading a safetensors file written by an independent (Python) writer', () => {
  it('decodes every integer and float dtype', () => {
    const ramp = Array.from({ length: 12 }, (_, i) => i - 6);
    const t = (name: string) => reference.tensors.get(name)!;
    expect([...t('ramp_f64').data]).toEqual(ramp.map((x) => x / 4));
    expect(t('ramp_f64').shape).toEqual([3, 4]);
    for (const name of ['ramp_i64', 'ramp_i32', 'ramp_i16', 'ramp_i8']) expect([...t(name).data]).toEqual(ramp);
    for (const name of ['ramp_u8', 'ramp_u16', 'ramp_u32', 'ramp_u64']) expect([...t(name).data]).toEqual(ramp.map((x) => x + 6));
    expect([...t('ramp_bool').data]).toEqual(ramp.map((x) => (x % 2 === 0 ? 1 : 0)));
    expect(t('ramp_i64').dtype).toBe('I64');
    expect(t('empty_f32').shape).toEqual([0, 3]);
    expect(t('scalar_f32').shape).toEqual([]);
    expect([...t('scalar_f32').data]).toEqual([2.5]);
    expect(reference.metadata.get('format')).toBe('pt');
  });
});
