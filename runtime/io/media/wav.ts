/**
 * WAV (RIFF/WAVE) reading and writing for the audio front ends.
 *
 * Reads 16-bit PCM and 32-bit IEEE float, plain or WAVE_FORMAT_EXTENSIBLE, mono or stereo
 * (stereo is averaged to mono). Other encodings, channel counts and sample rates are
 * refused with a `MediaError` that says how to convert the file; nothing is resampled.
 */
import { MediaError } from '../errors.js';

export type WavSampleFormat = 'pcm16' | 'float32';

export interface WavAudio {
  readonly sampleRate: number;
  /** Channels in the file (the samples are already mono). */
  readonly channels: number;
  readonly format: WavSampleFormat;
  /** Mono samples in [-1, 1] (PCM: value / 32768). */
  readonly samples: Float32Array;
}

export interface ReadWavOptions {
  /** Refuse files at any other rate (the spec's `sample_rate`). */
  readonly sampleRate?: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming writers leave this in the size fields: "until the end of the file". */
const UNKNOWN_SIZE = 0xffffffff;

/** Decodes a WAV file to mono float samples. */
export function readWav(bytes: Uint8Array, options: ReadWavOptions = {}): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new MediaError('wav-not-riff', 'wav: not a RIFF/WAVE file (the first 12 bytes are not "RIFF....WAVE")',
      'convert the audio to WAV, e.g. `ffmpeg -i input -ac 1 -ar 16000 -c:a pcm_s16le out.wav`');
  }
  let format: { code: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  let at = 12;
  while (at + 8 <= bytes.length && data === undefined) {
    const id = tag(bytes, at);
    const declared = view.getUint32(at + 4, true);
    const body = at + 8;
    const size = declared === UNKNOWN_SIZE && id === 'data' ? bytes.length - body : declared;
    if (body + size > bytes.length) {
      throw new MediaError('wav-truncated', `wav: the \`${id}\` chunk declares ${size} bytes but only ${bytes.length - body} remain`,
        'the file is cut off; export it again');
    }
    if (id === 'fmt ') format = parseFormat(view, body, size);
    else if (id === 'data') data = bytes.subarray(body, body + size);
    at = body + size + (size & 1); // chunks are padded to an even length
  }
  if (format === undefined) {
    throw new MediaError('wav-no-format', 'wav: no `fmt ` chunk before the audio data',
      'the file is damaged or not PCM WAV; export it again');
  }
  if (data === undefined) {
    throw new MediaError('wav-no-data', 'wav: no `data` chunk', 'the file holds no audio; export it again');
  }
  const sampleFormat = sampleFormatOf(format.code, format.bits);
  if (format.channels !== 1 && format.channels !== 2) {
    throw new MediaError('wav-channels', `wav: ${format.channels} channels; mono and stereo are supported`,
      'downmix first, e.g. `ffmpeg -i input.wav -ac 1 out.wav`');
  }
  const bytesPerSample = format.bits / 8;
  if (format.blockAlign !== bytesPerSample * format.channels) {
    throw new MediaError('wav-bad-format', `wav: block align ${format.blockAlign} does not fit ${format.channels} channels of ${format.bits}-bit samples`,
      'the header is damaged; export the file again');
  }
  if (options.sampleRate !== undefined && options.sampleRate !== format.sampleRate) {
    throw new MediaError('wav-sample-rate', `wav: the file is sampled at ${format.sampleRate} Hz but the model expects ${options.sampleRate} Hz`,
      `resample it, e.g. \`ffmpeg -i input.wav -ar ${options.sampleRate} out.wav\` (mimo does not resample)`);
  }
  const frames = Math.floor(data.length / format.blockAlign);
  const samples = new Float32Array(frames);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < format.channels; c++) {
      const offset = i * format.blockAlign + c * bytesPerSample;
      sum += sampleFormat === 'pcm16' ? dataView.getInt16(offset, true) / 32768 : dataView.getFloat32(offset, true);
    }
    samples[i] = sum / format.channels;
  }
  return { sampleRate: format.sampleRate, channels: format.channels, format: sampleFormat, samples };
}

/** Encodes mono samples as a WAV file (16-bit PCM rounds and clips to [-1, 1)). */
export function encodeWav(samples: Float32Array, sampleRate: number, format: WavSampleFormat = 'pcm16'): Uint8Array {
  const bytesPerSample = format === 'pcm16' ? 2 : 4;
  const dataBytes = samples.length * bytesPerSample;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const writeTag = (offset: number, text: string): void => {
    for (let i = 0; i < 4; i++) out[offset + i] = text.charCodeAt(i);
  };
  writeTag(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  writeTag(8, 'WAVE');
  writeTag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'pcm16' ? FORMAT_PCM : FORMAT_FLOAT, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * bytesPerSample, true);
  view.setUint16(32, bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  writeTag(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    if (format === 'pcm16') {
      view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), true);
    } else {
      view.setFloat32(44 + 4 * i, samples[i], true);
    }
  }
  return out;
}

function parseFormat(view: DataView, at: number, size: number): { code: number; channels: number; sampleRate: number; blockAlign: number; bits: number } {
  if (size < 16) {
    throw new MediaError('wav-bad-format', `wav: the \`fmt \` chunk is ${size} bytes, shorter than 16`,
      'the header is damaged; export the file again');
  }
  let code = view.getUint16(at, true);
  const bits = view.getUint16(at + 14, true);
  if (code === FORMAT_EXTENSIBLE) {
    if (size < 40) {
      throw new MediaError('wav-bad-format', `wav: the extensible \`fmt \` chunk is ${size} bytes, shorter than 40`,
        'the header is damaged; export the file again');
    }
    // The sub-format GUID starts with the plain format code.
    code = view.getUint16(at + 24, true);
  }
  return { code, channels: view.getUint16(at + 2, true), sampleRate: view.getUint32(at + 4, true), blockAlign: view.getUint16(at + 12, true), bits };
}

function sampleFormatOf(code: number, bits: number): WavSampleFormat {
  if (code === FORMAT_PCM && bits === 16) return 'pcm16';
  if (code === FORMAT_FLOAT && bits === 32) return 'float32';
  const what = code === FORMAT_PCM ? `${bits}-bit PCM` : code === FORMAT_FLOAT ? `${bits}-bit float` : `format code ${code}`;
  throw new MediaError('wav-unsupported-encoding', `wav: ${what} is not supported; 16-bit PCM and 32-bit float are`,
    'convert it, e.g. `ffmpeg -i input.wav -c:a pcm_s16le out.wav`');
}

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}
