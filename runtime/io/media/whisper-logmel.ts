/**
 * Whisper's log-mel spectrogram, as openai/whisper `audio.py` computes it:
 * 16 kHz samples → periodic Hann window of 400, hop 160, centred STFT with reflect padding
 * (torch.stft's defaults), the last frame dropped, power spectrum, Slaney mel filterbank
 * (librosa.filters.mel with htk=False, norm='slaney', as whisper's mel_filters.npz holds,
 * 80 or 128 bins), log10 clamped at 1e-10 and at (global max − 8), then (x + 4) / 4.
 * Computed in double precision; the filter weights are rounded to float32 as librosa's are.
 */
import { MediaError } from '../errors.js';
import { createPowerSpectrum } from './fft.js';
import type { FeatureTensor } from './features.js';

export const WHISPER_SAMPLE_RATE = 16000;
export const WHISPER_N_FFT = 400;
export const WHISPER_HOP_LENGTH = 160;
/** 30 s at 16 kHz: the clip length Whisper's encoder is trained on (3000 frames). */
export const WHISPER_CHUNK_SAMPLES = 480000;

export interface WhisperLogMelOptions {
  /** Mel bins: 80 (tiny … large-v2) or 128 (large-v3). */
  readonly melBins?: 80 | 128;
  /** Zero-pad or trim the samples to this length first (whisper's pad_or_trim), e.g. WHISPER_CHUNK_SAMPLES. */
  readonly padOrTrimTo?: number;
}

/**
 * Log-mel features [melBins, frames] of 16 kHz mono samples, frames = floor(samples / 160)
 * (3000 for 30 s) — Hugging Face's `input_features` layout for one clip.
 */
export function whisperLogMel(samples: Float32Array, options: WhisperLogMelOptions = {}): FeatureTensor {
  const melBins = options.melBins ?? 80;
  if (melBins !== 80 && melBins !== 128) {
    throw new MediaError('whisper-mel-bins', `whisper: ${String(melBins)} mel bins; Whisper uses 80 or 128`,
      'use 80 (tiny … large-v2) or 128 (large-v3)');
  }
  const audio = options.padOrTrimTo === undefined ? samples : padOrTrim(samples, options.padOrTrimTo);
  const half = WHISPER_N_FFT / 2;
  if (audio.length <= half) {
    throw new MediaError('whisper-too-short', `whisper: ${audio.length} samples; the centred STFT needs more than ${half}`,
      `pad the audio (e.g. padOrTrimTo: ${WHISPER_CHUNK_SAMPLES} for Whisper's 30 s input)`);
  }
  const frames = Math.floor(audio.length / WHISPER_HOP_LENGTH); // 1 + floor(len/hop) frames, minus the last
  const bins = half + 1;
  const filters = slaneyMelFilters(WHISPER_SAMPLE_RATE, WHISPER_N_FFT, melBins);
  const window = new Float64Array(WHISPER_N_FFT);
  for (let n = 0; n < WHISPER_N_FFT; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / WHISPER_N_FFT);

  const fft = createPowerSpectrum(WHISPER_N_FFT);
  const frame = new Float64Array(WHISPER_N_FFT);
  const power = new Float64Array(bins);
  const logSpec = new Float64Array(melBins * frames);
  let max = -Infinity;
  for (let t = 0; t < frames; t++) {
    const start = t * WHISPER_HOP_LENGTH - half;
    for (let n = 0; n < WHISPER_N_FFT; n++) frame[n] = audio[reflect(start + n, audio.length)] * window[n];
    fft.power(frame, power);
    for (let m = 0; m < melBins; m++) {
      let energy = 0;
      const row = m * bins;
      for (let k = 0; k < bins; k++) energy += filters[row + k] * power[k];
      const value = Math.log10(Math.max(energy, 1e-10));
      logSpec[m * frames + t] = value;
      if (value > max) max = value;
    }
  }
  const floor = max - 8;
  const data = new Float32Array(melBins * frames);
  for (let i = 0; i < data.length; i++) data[i] = (Math.max(logSpec[i], floor) + 4) / 4;
  return { data, shape: [melBins, frames] };
}

/** Zero-pads or trims samples to `length` (whisper's pad_or_trim). */
export function padOrTrim(samples: Float32Array, length: number): Float32Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new MediaError('whisper-bad-length', `whisper: cannot pad or trim to ${length} samples`,
      'give a non-negative integer sample count');
  }
  if (samples.length === length) return samples;
  const out = new Float32Array(length);
  out.set(samples.subarray(0, Math.min(length, samples.length)));
  return out;
}

/**
 * Slaney-style mel filterbank [melBins, nFft/2 + 1] (librosa.filters.mel, htk=False,
 * norm='slaney'): triangles between mel points spaced evenly on the Slaney scale (linear
 * below 1 kHz, logarithmic above), each scaled to unit area by 2 / (upper − lower edge in Hz).
 */
export function slaneyMelFilters(sampleRate: number, nFft: number, melBins: number, fMin = 0, fMax = sampleRate / 2): Float32Array {
  const bins = Math.floor(nFft / 2) + 1;
  const fftFreqs = new Float64Array(bins);
  for (let k = 0; k < bins; k++) fftFreqs[k] = (k * (sampleRate / 2)) / (bins - 1);
  const melMin = hzToSlaneyMel(fMin);
  const melMax = hzToSlaneyMel(fMax);
  const points = new Float64Array(melBins + 2);
  for (let i = 0; i < melBins + 2; i++) points[i] = slaneyMelToHz(melMin + ((melMax - melMin) * i) / (melBins + 1));
  const weights = new Float32Array(melBins * bins);
  for (let m = 0; m < melBins; m++) {
    const lowerWidth = points[m + 1] - points[m];
    const upperWidth = points[m + 2] - points[m + 1];
    const norm = 2 / (points[m + 2] - points[m]);
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k] - points[m]) / lowerWidth;
      const upper = (points[m + 2] - fftFreqs[k]) / upperWidth;
      weights[m * bins + k] = Math.max(0, Math.min(lower, upper)) * norm;
    }
  }
  return weights;
}

const SLANEY_F_SP = 200 / 3;
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

function hzToSlaneyMel(hz: number): number {
  return hz >= SLANEY_MIN_LOG_HZ ? SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP : hz / SLANEY_F_SP;
}

function slaneyMelToHz(mel: number): number {
  return mel >= SLANEY_MIN_LOG_MEL ? SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL)) : SLANEY_F_SP * mel;
}

/** Reflect padding index (torch's 'reflect': the edge sample is not repeated). */
function reflect(index: number, length: number): number {
  if (index < 0) return -index;
  if (index >= length) return 2 * (length - 1) - index;
  return index;
}
