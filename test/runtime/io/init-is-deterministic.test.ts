import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InitError, createRng, fillNormal, initWeights, portableLog, type InitSpec } from '../../../runtime/io/index.js';
import { runReference } from './reference-python.js';

const manifest: InitSpec[] = [
  { name: 'model.embed_tokens.weight', shape: [100, 64], init: 'normal', std: 0.02 },
  { name: 'model.layers.0.self_attn.q_proj.weight', shape: [64, 64], init: 'normal', std: 0.02 },
  { name: 'model.layers.0.input_layernorm.weight', shape: [64], init: 'ones' },
  { name: 'model.layers.0.self_attn.q_proj.bias', shape: [64], init: 'zeros' },
  { name: 'odd', shape: [3, 3], init: 'normal', std: 1, mean: 5 },
];

function sha256(data: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
}

describe('seeded initialisation', () => {
  it('matches the golden hash of its first values (same seed, same bytes, on every platform)', () => {
    const weights = initWeights(manifest, 1234);
    const q = weights.get('model.layers.0.self_attn.q_proj.weight')!.data;
    expect(sha256(q.subarray(0, 256))).toBe('f6531ca79cd179e78c94ede6bb93f8de60fe8e72e46c634c07f4b0400deb5e96');
    expect(sha256(weights.get('odd')!.data)).toBe('e90af10cc5bc28909c079798ed1b725c73437e0b000a742e41301445c96e611f');
  });

  it('gives the same bytes twice, and different bytes for another seed or name', () => {
    const a = initWeights(manifest, 1234);
    const b = initWeights(manifest, 1234);
    const c = initWeights(manifest, 1235);
    const big = initWeights(manifest, 2 ** 40 + 1234);
    for (const spec of manifest) expect(sha256(a.get(spec.name)!.data)).toBe(sha256(b.get(spec.name)!.data));
    const name = 'model.embed_tokens.weight';
    expect(sha256(a.get(name)!.data)).not.toBe(sha256(c.get(name)!.data));
    expect(sha256(a.get(name)!.data)).not.toBe(sha256(big.get(name)!.data));
    expect(sha256(a.get(name)!.data)).not.toBe(sha256(a.get('model.layers.0.self_attn.q_proj.weight')!.data.subarray(0, 6400)));
  });

  it("does not depend on the manifest's order", () => {
    const forward = initWeights(manifest, 9);
    const backward = initWeights([...manifest].reverse(), 9);
    for (const spec of manifest) expect(backward.get(spec.name)!.data).toEqual(forward.get(spec.name)!.data);
  });

  it('fills zeros, ones, and normals with the requested mean and standard deviation', () => {
    const weights = initWeights([...manifest, { name: 'big', shape: [200_000], init: 'normal', std: 0.5, mean: -1 }], 1);
    expect(weights.get('model.layers.0.input_layernorm.weight')!.data.every((x) => x === 1)).toBe(true);
    expect(weights.get('model.layers.0.self_attn.q_proj.bias')!.data.every((x) => x === 0)).toBe(true);
    const big = weights.get('big')!.data;
    const mean = big.reduce((s, x) => s + x, 0) / big.length;
    const variance = big.reduce((s, x) => s + (x - mean) ** 2, 0) / big.length;
    const kurtosis = big.reduce((s, x) => s + ((x - mean) ** 4), 0) / big.length / variance ** 2;
    const within1 = big.filter((x) => Math.abs(x - mean) < Math.sqrt(variance)).length / big.length;
    // Tolerances are ~5 standard errors for 200k samples.
    expect(Math.abs(mean + 1)).toBeLessThan(0.006);
    expect(Math.abs(Math.sqrt(variance) - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.06);
    expect(Math.abs(within1 - 0.6827)).toBeLessThan(0.006);
  });

  it('computes log to within 2 ulp of Math.log with basic arithmetic only', () => {
    const rng = createRng(3);
    for (let i = 0; i < 20_000; i++) {
      const x = rng.nextFloat64() * 2 ** (((i % 200) - 100));
      if (x === 0) continue;
      const exact = Math.log(x);
      expect(Math.abs(portableLog(x) - exact)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.max(1, Math.abs(exact)));
    }
    expect(portableLog(1)).toBe(0);
    expect(Number.isNaN(portableLog(0))).toBe(true);
  });

  it('agrees bit for bit with an independent Python transcription', () => {
    const cases = [
      { seed: 0, name: '', count: 64 },
      { seed: 1234, name: 'model.layers.0.self_attn.q_proj.weight', count: 257 },
      { seed: 2 ** 40 + 7, name: 'vision.encoder.ünï', count: 33 },
    ];
    const reference = runReference('rng_reference.py', { cases }) as { cases: { uint32: number[]; normal: number[]; log_vs_math: number }[] };
    cases.forEach((c, i) => {
      const rng = createRng(c.seed, c.name);
      expect(Array.from({ length: c.count }, () => rng.nextUint32())).toEqual(reference.cases[i].uint32);
      expect([...fillNormal(new Float32Array(c.count), createRng(c.seed, c.name))]).toEqual(reference.cases[i].normal);
      expect(reference.cases[i].log_vs_math).toBeLessThan(1e-15);
    });
  }, 60_000);

  it('refuses bad manifests and seeds with InitError', () => {
    expect(() => initWeights([{ name: 'a', shape: [1], init: 'ones' }, { name: 'a', shape: [1], init: 'zeros' }], 0)).toThrow(/`a` appears twice/);
    expect(() => initWeights([{ name: 'a', shape: [-1], init: 'ones' }], 0)).toThrow(InitError);
    expect(() => initWeights([{ name: 'a', shape: [2], init: 'normal', std: -1 }], 0)).toThrow(/std -1/);
    expect(() => initWeights([{ name: 'a', shape: [2], init: 'xavier' as 'normal' }], 0)).toThrow(/unknown init "xavier"/);
    expect(() => initWeights([], -1)).toThrow(/seed -1/);
    expect(() => initWeights([], 1.5)).toThrow(InitError);
  });
});
