/**
 * Seeded weight initialisation that gives the same bytes on every platform.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit, seeded by splitmix32 from the
 * seed and an FNV-1a hash of the tensor's UTF-8 name, so each tensor's values depend only
 * on (seed, name, shape) and not on the manifest's order. Normals come from the polar form
 * of Box–Muller (Marsaglia), which needs only sqrt and log; log is computed here from +, −,
 * ×, ÷ (IEEE 754 exact-rounded in every JS engine) instead of Math.log, whose last bit the
 * ECMAScript standard leaves to the engine.
 */
import { InitError } from './errors.js';

export type InitKind = 'normal' | 'zeros' | 'ones';

/** One tensor of a weight manifest. */
export interface InitSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitKind;
  /** Standard deviation for `normal` (default 0.02, GPT-2 / Megatron's init_method_std). */
  readonly std?: number;
  /** Mean for `normal` (default 0). */
  readonly mean?: number;
}

export interface InitializedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Default standard deviation of `normal` initialisation. */
export const DEFAULT_INIT_STD = 0.02;

/** A xoshiro128** generator. */
export interface Rng {
  /** The next 32-bit output as an unsigned integer. */
  nextUint32(): number;
  /** A double uniformly distributed in [0, 1), from 53 random bits. */
  nextFloat64(): number;
}

/** Creates the generator for one tensor: same (seed, name), same stream. */
export function createRng(seed: number, name = ''): Rng {
  checkSeed(seed);
  const low = seed % 2 ** 32;
  const high = Math.floor(seed / 2 ** 32);
  let splitmix = (fmix32(fmix32(low ^ 0x6d696d6f) ^ high) ^ fnv1a32(name)) >>> 0;
  const nextSplitmix = (): number => {
    splitmix = (splitmix + 0x9e3779b9) >>> 0;
    return fmix32(splitmix);
  };
  let s0 = nextSplitmix();
  let s1 = nextSplitmix();
  let s2 = nextSplitmix();
  let s3 = nextSplitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return {
    nextUint32,
    nextFloat64: () => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992,
  };
}

/** Fills `out` with normal(mean, std) samples rounded to float32. */
export function fillNormal(out: Float32Array, rng: Rng, mean = 0, std = 1): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng.nextFloat64() - 1;
      v = 2 * rng.nextFloat64() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * portableLog(s)) / s);
    out[i] = mean + std * (u * factor);
    if (i + 1 < out.length) out[i + 1] = mean + std * (v * factor);
  }
  return out;
}

/** Initialises every tensor of a manifest; the same seed gives the same bytes everywhere. */
export function initWeights(manifest: readonly InitSpec[], seed: number): Map<string, InitializedTensor> {
  checkSeed(seed);
  const out = new Map<string, InitializedTensor>();
  for (const spec of manifest) {
    if (out.has(spec.name)) {
      throw new InitError('init-duplicate-name', `init: tensor \`${spec.name}\` appears twice in the manifest`,
        'give each weight a unique name', spec.name);
    }
    const count = elementCount(spec);
    const data = new Float32Array(count);
    switch (spec.init) {
      case 'zeros':
        break;
      case 'ones':
        data.fill(1);
        break;
      case 'normal': {
        const std = spec.std ?? DEFAULT_INIT_STD;
        const mean = spec.mean ?? 0;
        if (!Number.isFinite(std) || std < 0 || !Number.isFinite(mean)) {
          throw new InitError('init-bad-std', `init: tensor \`${spec.name}\` has std ${std} and mean ${mean}`,
            'std must be a finite number >= 0 and mean a finite number', spec.name);
        }
        fillNormal(data, createRng(seed, spec.name), mean, std);
        break;
      }
      default:
        throw new InitError('init-bad-kind', `init: tensor \`${spec.name}\` has unknown init ${JSON.stringify(spec.init)}`,
          "use 'normal', 'zeros' or 'ones'", spec.name);
    }
    out.set(spec.name, { shape: [...spec.shape], data });
  }
  return out;
}

/**
 * Natural logarithm of a positive finite double from basic arithmetic only, so its result
 * is bit-identical on every IEEE 754 engine. Accurate to a few units in the last place.
 */
export function portableLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Number.NaN;
  // x = m · 2^k with m in [√½, √2): scaling by 2 is exact.
  let m = x;
  let k = 0;
  while (m < Math.SQRT1_2) {
    m *= 2;
    k -= 1;
  }
  while (m >= Math.SQRT2) {
    m /= 2;
    k += 1;
  }
  // ln m = 2 atanh(s), s = (m − 1)/(m + 1), |s| <= 0.1716: 12 odd terms reach double precision.
  const f = m - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  let series = 1 / 25;
  for (let n = 23; n >= 1; n -= 2) series = series * s2 + 1 / n;
  const LN2_HI = 6.93147180369123816490e-1;
  const LN2_LO = 1.90821492927058770002e-10;
  return k * LN2_HI + (2 * s * series + k * LN2_LO);
}

function elementCount(spec: InitSpec): number {
  if (typeof spec.name !== 'string') {
    throw new InitError('init-bad-name', 'init: every manifest entry needs a string name', 'name each weight');
  }
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InitError('init-bad-shape', `init: tensor \`${spec.name}\` has shape ${JSON.stringify(spec.shape)}`,
      'a shape is a list of non-negative integers', spec.name);
  }
  const count = spec.shape.reduce((a, b) => a * b, 1);
  if (count > 2 ** 32 - 1) {
    throw new InitError('init-too-large', `init: tensor \`${spec.name}\` has ${count} elements, more than one Float32Array holds`,
      'split the tensor or initialise it in shards', spec.name);
  }
  return count;
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InitError('init-bad-seed', `init: seed ${String(seed)} is not a non-negative integer`,
      'pass an integer seed between 0 and 2^53 - 1');
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's 32-bit finaliser. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-8 bytes of `text`. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}
