import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SafetensorsError,
  decodeBfloat16,
  decodeFloat16,
  encodeBfloat16,
  initTfWeights,
  loadSafetensorsWeights,
  saveSafetensorsWeights,
  encodeFloat16,
  openSafetensorsFile,
  readSafetensors,
  readSafetensorsFile,
  readSafetensorsHeader,
  writeSafetensors,
  writeSafetensorsFile,
  type TensorToWrite,
} from '../../../runtime/io/index.js';
import { tf } from '../../../runtime/backend/tf.js';
import { scratchDir } from './reference-python.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

function sample(count: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sin(i * 1.37 + 0.2) * scale * (1 + i / count);
  return out;
}

const tensors: Record<string, TensorToWrite> = {
  'model.embed_tokens.weight': { shape: [4, 3], data: sample(12, 3) },
  'lm_head.weight': { shape: [3, 4], data: sample(12, 0.01) },
  scalar: { shape: [], data: Float32Array.of(-2.5) },
  empty: { shape: [0, 7], data: new Float32Array(0) },
  '10': { shape: [2], data: Float32Array.of(1, 2) },
  '9': { shape: [1], data: Float32Array.of(3) },
};

describe('safetensors round trips', () => {
  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    it(`writes and reads back ${dtype} tensors with their shapes and metadata`, () => {
      const bytes = writeSafetensors(tensors, { dtype, metadata: { format: 'pt', note: 'ünïcode ✓' } });
      const read = readSafetensors(bytes);
      expect([...read.metadata.entries()]).toEqual([['format', 'pt'], ['note', 'ünïcode ✓']]);
      expect([...read.tensors.keys()]).toEqual(Object.keys(tensors).sort());
      for (const [name, tensor] of Object.entries(tensors)) {
        const back = read.tensors.get(name);
        expect(back?.dtype).toBe(dtype);
        expect(back?.shape).toEqual(tensor.shape);
        const expected = dtype === 'F32' ? tensor.data
          : dtype === 'F16' ? decodeFloat16(encodeFloat16(tensor.data))
            : decodeBfloat16(encodeBfloat16(tensor.data));
        expect(back?.data).toEqual(expected);
      }
    });
  }

  it('keeps F32 bits exactly, including NaN payloads, -0, subnormals and infinities', () => {
    const bits = Uint32Array.of(0x7fc00001, 0x80000000, 0x00000001, 0x7f800000, 0xff800000, 0x3f800000);
    const data = new Float32Array(bits.buffer);
    const back = readSafetensors(writeSafetensors({ t: { shape: [6], data } })).tensors.get('t');
    expect(new Uint32Array(back!.data.buffer)).toEqual(bits);
  });

  it('mixes per-tensor dtypes in one file', () => {
    const bytes = writeSafetensors({
      a: { shape: [2], data: Float32Array.of(1, 1 / 3), dtype: 'F16' },
      b: { shape: [2], data: Float32Array.of(1, 1 / 3) },
      c: { shape: [2], data: Float32Array.of(1, 1 / 3), dtype: 'BF16' },
    });
    const header = readSafetensorsHeader(bytes);
    expect(header.entries.map((e) => [e.name, e.dtype, e.begin, e.end])).toEqual([
      ['a', 'F16', 0, 4], ['b', 'F32', 4, 12], ['c', 'BF16', 12, 16],
    ]);
  });

  it('writes deterministic bytes: sorted names, fixed key order, 8-byte aligned header', () => {
    const reversed = new Map(Object.entries(tensors).reverse());
    const a = writeSafetensors(tensors, { metadata: { z: '1', a: '2' } });
    const b = writeSafetensors(reversed, { metadata: new Map([['a', '2'], ['z', '1']]) });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const headerLength = Number(new DataView(a.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const text = new TextDecoder().decode(a.subarray(8, 8 + headerLength));
    expect(text.trimEnd()).toBe(
      '{"__metadata__":{"a":"2","z":"1"},"10":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
        '"9":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
        '"empty":{"dtype":"F32","shape":[0,7],"data_offsets":[12,12]},' +
        '"lm_head.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[12,60]},' +
        '"model.embed_tokens.weight":{"dtype":"F32","shape":[4,3],"data_offsets":[60,108]},' +
        '"scalar":{"dtype":"F32","shape":[],"data_offsets":[108,112]}}',
    );
    expect(text.length - text.trimEnd().length).toBe(headerLength - text.trimEnd().length);
  });

  it('refuses tensors that cannot be written, before writing anything', async () => {
    expect(() => writeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/`a` has shape \[2, 2\] \(4 elements\) but 3 values/);
    expect(() => writeSafetensors({ __metadata__: { shape: [0], data: new Float32Array(0) } })).toThrow(SafetensorsError);
    expect(() => writeSafetensors({ a: { shape: [-1], data: new Float32Array(0) } })).toThrow(/non-negative integers/);
    expect(() => writeSafetensors({ a: { shape: [1], data: new Float32Array(1), dtype: 'I8' as 'F32' } })).toThrow(/dtype "I8"/);
    expect(() => writeSafetensors({}, { metadata: { n: 3 as unknown as string } })).toThrow(/metadata `n` must be a string/);
    const target = join(scratch.path, 'refused.safetensors');
    await expect(writeSafetensorsFile(target, { a: { shape: [3], data: new Float32Array(2) } })).rejects.toThrow(SafetensorsError);
    expect(existsSync(target)).toBe(false);
  });
});

describe('safetensors files', () => {
  it('writes atomically: the target is replaced whole and no temporary file is left', async () => {
    const target = join(scratch.path, 'model.safetensors');
    writeFileSync(target, 'old content');
    await writeSafetensorsFile(target, tensors, { dtype: 'BF16', metadata: { format: 'pt' } });
    expect(readdirSync(scratch.path).filter((f) => f.includes('model'))).toEqual(['model.safetensors']);
    expect(Buffer.from(readFileSync(target)).equals(Buffer.from(writeSafetensors(tensors, { dtype: 'BF16', metadata: { format: 'pt' } })))).toBe(true);
    const back = await readSafetensorsFile(target);
    expect(back.tensors.get('lm_head.weight')?.shape).toEqual([3, 4]);
    expect(back.metadata.get('format')).toBe('pt');
  });

  it('reads tensors one at a time from an open file', async () => {
    const target = join(scratch.path, 'lazy.safetensors');
    await writeSafetensorsFile(target, tensors);
    const reader = await openSafetensorsFile(target);
    try {
      expect(reader.header.entries.length).toBe(6);
      expect((await reader.read('scalar')).data).toEqual(Float32Array.of(-2.5));
      await expect(reader.read('missing')).rejects.toThrow(/has no tensor `missing`/);
    } finally {
      await reader.close();
    }
  });

  it('reports missing files and truncated files as SafetensorsError naming the path or tensor', async () => {
    await expect(readSafetensorsFile(join(scratch.path, 'nope.safetensors'))).rejects.toThrow(/cannot open .*nope\.safetensors/);
    const target = join(scratch.path, 'cut.safetensors');
    const bytes = writeSafetensors(tensors);
    writeFileSync(target, bytes.subarray(0, bytes.length - 5));
    const error = await readSafetensorsFile(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    // The first tensor (by offset) that the cut reaches is named.
    expect((error as SafetensorsError).tensor).toBe('model.embed_tokens.weight');
    expect((error as SafetensorsError).code).toBe('safetensors-truncated');
    await expect(writeSafetensorsFile(join(scratch.path, 'no-such-dir', 'x.safetensors'), tensors)).rejects.toThrow(/cannot create/);
  });
});

describe('safetensors and tfjs tensors', () => {
  it('saves tf tensors and loads them back with shapes and values', async () => {
    await tf.setBackend('cpu');
    const weights = initTfWeights([{ name: 'w', shape: [3, 2], init: 'normal' }, { name: 'b', shape: [2], init: 'ones' }], 5);
    const target = join(scratch.path, 'tf.safetensors');
    await saveSafetensorsWeights(target, weights);
    const back = await loadSafetensorsWeights(target);
    expect(back.get('w')!.shape).toEqual([3, 2]);
    expect(back.get('w')!.arraySync()).toEqual(weights.get('w')!.arraySync());
    expect(back.get('b')!.arraySync()).toEqual([1, 1]);
    tf.dispose([...weights.values(), ...back.values()]);
  });
});
