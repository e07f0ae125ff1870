import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIP_NORMALIZATION,
  MediaError,
  SIGLIP_NORMALIZATION,
  encodeWav,
  normalizeImage,
  normalizeVideoFrames,
  readWav,
} from '../../../runtime/io/index.js';

/** A WAV file from raw fields, for the formats our writer does not produce. */
function wavFile(fields: { code: number; channels: number; rate: number; bits: number; data: Uint8Array; extensible?: number; before?: Uint8Array }): Uint8Array {
  const fmtSize = fields.extensible === undefined ? 16 : 40;
  const before = fields.before ?? new Uint8Array(0);
  const out = new Uint8Array(12 + 8 + fmtSize + before.length + 8 + fields.data.length);
  const view = new DataView(out.buffer);
  const tag = (at: number, text: string) => [...text].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  tag(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, fields.code, true);
  view.setUint16(22, fields.channels, true);
  view.setUint32(24, fields.rate, true);
  const block = (fields.channels * fields.bits) / 8;
  view.setUint32(28, fields.rate * block, true);
  view.setUint16(32, block, true);
  view.setUint16(34, fields.bits, true);
  if (fields.extensible !== undefined) {
    view.setUint16(36, 22, true);
    view.setUint16(44, fields.extensible, true); // sub-format GUID starts with the format code
  }
  out.set(before, 20 + fmtSize);
  const data = 20 + fmtSize + before.length;
  tag(data, 'data');
  view.setUint32(data + 4, fields.data.length, true);
  out.set(fields.data, data + 8);
  return out;
}

function expectMediaError(run: () => unknown, code: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe(code);
    expect((error as MediaError).message).toMatch(message);
    return;
  }
  throw new Error('expected a MediaError');
}

describe('WAV reading', () => {
  const samples = Float32Array.of(0, 0.5, -0.5, 0.25, -1, 0.999);

  it('round-trips 16-bit PCM (value / 32768) and 32-bit float', () => {
    const pcm = readWav(encodeWav(samples, 16000, 'pcm16'), { sampleRate: 16000 });
    expect(pcm).toMatchObject({ sampleRate: 16000, channels: 1, format: 'pcm16' });
    expect([...pcm.samples]).toEqual([0, 0.5, -0.5, 0.25, -1, 32735 / 32768]);
    const float = readWav(encodeWav(samples, 22050, 'float32'));
    expect(float.format).toBe('float32');
    expect(float.samples).toEqual(samples);
  });

  it('averages stereo to mono, skips unknown chunks (with odd-length padding), and reads WAVE_FORMAT_EXTENSIBLE', () => {
    const data = new Uint8Array(8);
    const view = new DataView(data.buffer);
    view.setInt16(0, 16384, true);
    view.setInt16(2, 0, true);
    view.setInt16(4, -32768, true);
    view.setInt16(6, 32767, true);
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const stereo = readWav(wavFile({ code: 1, channels: 2, rate: 16000, bits: 16, data, before: list }));
    expect([...stereo.samples]).toEqual([0.25, -1 / 65536]);
    expect(stereo.channels).toBe(2);
    const extensible = readWav(wavFile({ code: 0xfffe, extensible: 3, channels: 1, rate: 16000, bits: 32, data: new Uint8Array(Float32Array.of(0.5, -0.25).buffer) }));
    expect([...extensible.samples]).toEqual([0.5, -0.25]);
  });

  it('refuses other encodings, channel counts and sample rates with a fix in the help', () => {
    expectMediaError(() => readWav(wavFile({ code: 1, channels: 1, rate: 16000, bits: 24, data: new Uint8Array(6) })), 'wav-unsupported-encoding', /24-bit PCM is not supported/);
    expectMediaError(() => readWav(wavFile({ code: 1, channels: 1, rate: 16000, bits: 8, data: new Uint8Array(6) })), 'wav-unsupported-encoding', /8-bit PCM/);
    expectMediaError(() => readWav(wavFile({ code: 6, channels: 1, rate: 8000, bits: 8, data: new Uint8Array(6) })), 'wav-unsupported-encoding', /format code 6/);
    expectMediaError(() => readWav(wavFile({ code: 1, channels: 6, rate: 16000, bits: 16, data: new Uint8Array(12) })), 'wav-channels', /6 channels/);
    expectMediaError(() => readWav(encodeWav(samples, 44100), { sampleRate: 16000 }), 'wav-sample-rate', /44100 Hz but the model expects 16000 Hz[\s\S]*ffmpeg -i input.wav -ar 16000/);
    expectMediaError(() => readWav(new TextEncoder().encode('ID3 not a wav file')), 'wav-not-riff', /not a RIFF\/WAVE file/);
    expectMediaError(() => readWav(encodeWav(samples, 16000).subarray(0, 50)), 'wav-truncated', /`data` chunk declares 12 bytes but only 6 remain/);
    expectMediaError(() => readWav(encodeWav(samples, 16000).subarray(0, 36)), 'wav-no-data', /no `data` chunk/);
    expectMediaError(() => readWav(encodeWav(samples, 16000).subarray(0, 30)), 'wav-truncated', /`fmt ` chunk declares 16 bytes but only 10 remain/);
    const noFormat = encodeWav(samples, 16000);
    noFormat.set([...'junk'].map((c) => c.charCodeAt(0)), 12);
    expectMediaError(() => readWav(noFormat), 'wav-no-format', /no `fmt ` chunk before the audio data/);
  });

  it('raises only MediaError on random or damaged input', () => {
    const valid = encodeWav(samples, 16000);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { maxLength: 3 }), fc.nat(valid.length), (random, edits, cut) => {
        const damaged = valid.slice(0, cut);
        for (const [at, value] of edits) if (at < damaged.length) damaged[at] = value;
        for (const bytes of [random, damaged, new Uint8Array([...valid.subarray(0, 12), ...random])]) {
          try {
            readWav(bytes);
          } catch (error) {
            if (!(error instanceof MediaError)) throw error;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pixel normalisation', () => {
  const rgba = { width: 2, height: 1, channels: 4 as const, data: Uint8Array.of(255, 0, 128, 9, 0, 255, 0, 9) };

  it('drops alpha, rescales to [0, 1] and normalises per channel, as [3, H, W] or [H, W, 3]', () => {
    const chw = normalizeImage(rgba, SIGLIP_NORMALIZATION);
    expect(chw.shape).toEqual([3, 1, 2]);
    expect([...chw.data]).toEqual([1, -1, -1, 1, Math.fround(Math.fround(Math.fround(128 / 255) - 0.5) / 0.5), -1]);
    const hwc = normalizeImage(rgba, SIGLIP_NORMALIZATION, { layout: 'hwc' });
    expect(hwc.shape).toEqual([1, 2, 3]);
    expect([...hwc.data]).toEqual([chw.data[0], chw.data[2], chw.data[4], chw.data[1], chw.data[3], chw.data[5]]);
    const float = normalizeImage({ width: 1, height: 1, channels: 3, data: Float32Array.of(0.48145466, 0.4578275, 0.40821073) }, CLIP_NORMALIZATION);
    expect([...float.data]).toEqual([0, 0, 0]);
  });

  it('stacks video frames as [T, 3, H, W] and checks the frame count and size', () => {
    const video = normalizeVideoFrames([rgba, rgba, rgba], CLIP_NORMALIZATION, { frames: 3, size: { width: 2, height: 1 } });
    expect(video.shape).toEqual([3, 3, 1, 2]);
    expect([...video.data.subarray(12, 18)]).toEqual([...normalizeImage(rgba, CLIP_NORMALIZATION).data]);
    expectMediaError(() => normalizeVideoFrames([rgba], CLIP_NORMALIZATION, { frames: 8 }), 'video-frame-count', /1 frames given but the model takes 8/);
    expectMediaError(() => normalizeVideoFrames([rgba, { ...rgba, width: 1, data: rgba.data.subarray(0, 4) }], CLIP_NORMALIZATION), 'image-wrong-size', /video frame 1: 1×1 pixels but the model takes 2×1/);
  });

  it('refuses wrong sizes and channel counts with help', () => {
    expectMediaError(() => normalizeImage(rgba, CLIP_NORMALIZATION, { size: 224 }), 'image-wrong-size', /2×1 pixels but the model takes 224×224[\s\S]*mimo does not resize/);
    expectMediaError(() => normalizeImage({ ...rgba, channels: 1 as 3 }, CLIP_NORMALIZATION), 'image-channels', /1 channels/);
    expectMediaError(() => normalizeImage({ ...rgba, data: new Uint8Array(5) }, CLIP_NORMALIZATION), 'image-bad-size', /5 values for 2×1×4/);
  });
});
