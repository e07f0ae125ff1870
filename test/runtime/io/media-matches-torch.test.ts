import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BEATS_FBANK_MEAN,
  CLIP_NORMALIZATION,
  SIGLIP_NORMALIZATION,
  WHISPER_CHUNK_SAMPLES,
  beatsFbank,
  createRng,
  fillNormal,
  kaldiFbank,
  normalizeImage,
  readSafetensors,
  slaneyMelFilters,
  whisperLogMel,
  type FeatureTensor,
  type LoadedTensor,
} from '../../../runtime/io/index.js';
import { runReference, scratchDir } from './reference-python.js';

const SAMPLE_RATE = 16000;

/** 3.05 s: a 80 Hz → 7.5 kHz chirp plus seeded noise, ending in 0.25 s of silence. */
function testSignal(): Float32Array {
  const length = 3 * SAMPLE_RATE + 873;
  const noise = fillNormal(new Float32Array(length), createRng(42, 'media-test'), 0, 0.02);
  const signal = new Float32Array(length);
  const duration = length / SAMPLE_RATE;
  for (let i = 0; i < length - 4000; i++) {
    const t = i / SAMPLE_RATE;
    signal[i] = 0.4 * Math.sin(2 * Math.PI * (80 * t + ((7500 - 80) * t * t) / (2 * duration))) + noise[i];
  }
  return signal;
}

const IMAGE = { width: 7, height: 5 };
function testPixels(): Uint8Array {
  const rng = createRng(5, 'pixels');
  return Uint8Array.from({ length: IMAGE.width * IMAGE.height * 3 }, () => rng.nextUint32() & 0xff);
}

const signal = testSignal();
const pixels = testPixels();
const scratch = scratchDir();
let reference: ReadonlyMap<string, LoadedTensor>;
let summary: Record<string, number | string>;

beforeAll(() => {
  writeFileSync(join(scratch.path, 'audio.f32'), new Uint8Array(signal.buffer));
  writeFileSync(join(scratch.path, 'image.u8'), pixels);
  summary = runReference('media_reference.py', {
    audio: join(scratch.path, 'audio.f32'),
    image: join(scratch.path, 'image.u8'),
    image_height: IMAGE.height,
    image_width: IMAGE.width,
    output: join(scratch.path, 'reference.safetensors'),
  }) as Record<string, number | string>;
  reference = readSafetensors(new Uint8Array(readFileSync(join(scratch.path, 'reference.safetensors')))).tensors;
}, 180_000);
afterAll(() => scratch.remove());

function maxAbsError(ours: FeatureTensor | { data: Float32Array; shape: readonly number[] }, name: string): number {
  const theirs = reference.get(name);
  expect(theirs, name).toBeDefined();
  expect(ours.shape).toEqual(theirs!.shape);
  let max = 0;
  for (let i = 0; i < ours.data.length; i++) max = Math.max(max, Math.abs(ours.data[i] - theirs!.data[i]));
  console.log(`${name}: max abs error ${max.toExponential(3)}`);
  return max;
}

describe('Whisper log-mel matches openai/whisper computed with PyTorch', () => {
  it('builds the Slaney mel filterbank as librosa does (80 and 128 bins)', () => {
    expect(summary.mel80_vs_torchaudio).toBeLessThan(1e-6);
    expect(summary.mel128_vs_torchaudio).toBeLessThan(1e-6);
    expect(maxAbsError({ data: slaneyMelFilters(16000, 400, 80), shape: [80, 201] }, 'mel_filters_80')).toBeLessThan(1e-7);
    expect(maxAbsError({ data: slaneyMelFilters(16000, 400, 128), shape: [128, 201] }, 'mel_filters_128')).toBeLessThan(1e-7);
  });

  for (const melBins of [80, 128] as const) {
    it(`matches with ${melBins} mel bins to 1e-4 (float64 reference; float32 torch as run by whisper within 1e-3)`, () => {
      const ours = whisperLogMel(signal, { melBins });
      expect(ours.shape).toEqual([melBins, Math.floor(signal.length / 160)]);
      expect(maxAbsError(ours, `whisper_${melBins}`)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsError(ours, `whisper_${melBins}_f32`)).toBeLessThanOrEqual(1e-3);
    });
  }

  it("pads a clip to Whisper's 30 s input: 3000 frames", () => {
    const ours = whisperLogMel(signal, { padOrTrimTo: WHISPER_CHUNK_SAMPLES });
    expect(ours.shape).toEqual([80, 3000]);
    expect(() => whisperLogMel(signal.subarray(0, 150))).toThrow(/150 samples; the centred STFT needs more than 200/);
  });
});

describe('Kaldi fbank and BEATs features match torchaudio.compliance.kaldi.fbank', () => {
  it('matches BEATs preprocessing (x 2^15, 128 bins, 25/10 ms, Povey window, normalised) to 1e-4', () => {
    const ours = beatsFbank(signal);
    expect(ours.shape).toEqual([1 + Math.floor((signal.length - 400) / 160), 128]);
    expect(maxAbsError(ours, 'beats')).toBeLessThanOrEqual(1e-4);
    expect(maxAbsError(ours, 'beats_f32')).toBeLessThanOrEqual(1e-3);
  });

  it('matches the raw 128-bin fbank of the scaled waveform to 1e-4', () => {
    const scaled = signal.map((x) => x * 32768);
    const ours = kaldiFbank(scaled, { melBins: 128 });
    expect(maxAbsError(ours, 'fbank_128')).toBeLessThanOrEqual(1e-4);
    // Silence floors at log(float32 epsilon), the normalisation constants are BEATs'.
    expect(Math.min(...ours.data)).toBeCloseTo(Math.log(2 ** -23), 6);
    expect(BEATS_FBANK_MEAN).toBe(15.41663);
  });

  it('matches another configuration (20 ms frames, 12.5 ms shift, Hamming, 50 Hz..Nyquist-400, pre-emphasis 0.9, 40 bins) to 1e-4', () => {
    const ours = kaldiFbank(signal, { melBins: 40, frameLengthMs: 20, frameShiftMs: 12.5, window: 'hamming', lowFreq: 50, highFreq: -400, preemphasis: 0.9 });
    expect(maxAbsError(ours, 'fbank_other')).toBeLessThanOrEqual(1e-4);
  });

  it('refuses clips shorter than one frame', () => {
    expect(() => beatsFbank(new Float32Array(399))).toThrow(/399 samples is shorter than one 25 ms frame \(400 samples\)/);
  });
});

describe('pixel normalisation matches Hugging Face image processing (numpy float32)', () => {
  it('matches CLIP and SigLIP normalisation exactly, laid out [3, H, W]', () => {
    const image = { ...IMAGE, channels: 3 as const, data: pixels };
    expect(maxAbsError(normalizeImage(image, CLIP_NORMALIZATION), 'pixels_clip')).toBe(0);
    expect(maxAbsError(normalizeImage(image, SIGLIP_NORMALIZATION), 'pixels_siglip')).toBe(0);
  });
});
