/**
 * Kaldi-compatible log mel filterbank (Kaldi's compute-fbank-feats, as reimplemented by
 * torchaudio.compliance.kaldi.fbank) and the BEATs front end built on it.
 *
 * Per frame (snip_edges: only whole frames): remove the DC offset, pre-emphasise
 * (x[i] − k·x[i−1], the first sample against itself), window, zero-pad to a power of two,
 * power spectrum, Kaldi's triangular mel bins (mel = 1127 ln(1 + f/700), evenly spaced
 * between low and high frequency, no area normalisation, float32 as Kaldi builds them), natural
 * log floored at float32's epsilon. Dither is 0 (deterministic). Frames are computed in double.
 */
import { MediaError } from '../errors.js';
import { createPowerSpectrum } from './fft.js';
import type { FeatureTensor } from './features.js';

export type KaldiWindow = 'povey' | 'hanning' | 'hamming' | 'rectangular';

export interface KaldiFbankOptions {
  readonly sampleRate?: number;      // 16000
  readonly melBins?: number;         // 23 (Kaldi's default)
  readonly frameLengthMs?: number;   // 25
  readonly frameShiftMs?: number;    // 10
  readonly lowFreq?: number;         // 20 Hz
  /** Upper edge in Hz; 0 or negative counts down from Nyquist (Kaldi's convention). */
  readonly highFreq?: number;        // 0
  readonly preemphasis?: number;     // 0.97
  readonly removeDcOffset?: boolean; // true
  readonly window?: KaldiWindow;     // 'povey'
}

/** torch.finfo(torch.float32).eps, the floor torchaudio puts under the mel energies. */
const FLOAT32_EPSILON = 2 ** -23;

/** BEATs' fbank statistics (microsoft/unilm beats/BEATs.py). */
export const BEATS_FBANK_MEAN = 15.41663;
export const BEATS_FBANK_STD = 6.55582;

/** Log mel filterbank [frames, melBins] of a waveform (in whatever scale the caller chose). */
export function kaldiFbank(waveform: Float32Array, options: KaldiFbankOptions = {}): FeatureTensor {
  const sampleRate = options.sampleRate ?? 16000;
  const melBins = options.melBins ?? 23;
  const frameLengthMs = options.frameLengthMs ?? 25;
  const frameShiftMs = options.frameShiftMs ?? 10;
  const preemphasis = options.preemphasis ?? 0.97;
  const removeDcOffset = options.removeDcOffset ?? true;
  // Same arithmetic as torchaudio, so the frame sizes agree to the sample.
  const windowSize = Math.floor(sampleRate * frameLengthMs * 0.001);
  const windowShift = Math.floor(sampleRate * frameShiftMs * 0.001);
  if (windowSize < 2 || windowShift < 1 || !Number.isSafeInteger(melBins) || melBins < 1) {
    throw new MediaError('fbank-bad-options', `fbank: frame length ${frameLengthMs} ms, shift ${frameShiftMs} ms and ${melBins} mel bins at ${sampleRate} Hz do not make sense`,
      'use frames of at least 2 samples, a shift of at least 1 sample and at least 1 mel bin');
  }
  if (waveform.length < windowSize) {
    throw new MediaError('fbank-too-short', `fbank: ${waveform.length} samples is shorter than one ${frameLengthMs} ms frame (${windowSize} samples)`,
      'pass a longer clip or pad it with silence');
  }
  const paddedSize = nextPowerOfTwo(windowSize);
  const bins = paddedSize / 2 + 1;
  const banks = kaldiMelBanks(melBins, paddedSize, sampleRate, options.lowFreq ?? 20, options.highFreq ?? 0);
  const window = kaldiWindow(options.window ?? 'povey', windowSize);
  const frames = 1 + Math.floor((waveform.length - windowSize) / windowShift);

  const fft = createPowerSpectrum(paddedSize);
  const frame = new Float64Array(paddedSize);
  const power = new Float64Array(bins);
  const data = new Float32Array(frames * melBins);
  for (let t = 0; t < frames; t++) {
    const start = t * windowShift;
    let mean = 0;
    if (removeDcOffset) {
      for (let n = 0; n < windowSize; n++) mean += waveform[start + n];
      mean /= windowSize;
    }
    // Pre-emphasis walks backwards so each sample still sees its unmodified predecessor.
    for (let n = 0; n < windowSize; n++) frame[n] = waveform[start + n] - mean;
    for (let n = windowSize - 1; n >= 1; n--) frame[n] -= preemphasis * frame[n - 1];
    frame[0] -= preemphasis * frame[0];
    for (let n = 0; n < windowSize; n++) frame[n] *= window[n];
    frame.fill(0, windowSize);
    fft.power(frame, power);
    for (let m = 0; m < melBins; m++) {
      let energy = 0;
      const row = m * bins;
      for (let k = 0; k < bins; k++) energy += banks[row + k] * power[k];
      data[t * melBins + m] = Math.log(Math.max(energy, FLOAT32_EPSILON));
    }
  }
  return { data, shape: [frames, melBins] };
}

/**
 * BEATs' input features [frames, 128] of 16 kHz mono samples in [-1, 1]: the waveform is
 * scaled by 2^15, passed through `kaldiFbank` (128 bins, 25 ms / 10 ms, Povey window), and
 * normalised as (x − 15.41663) / (2 × 6.55582).
 */
export function beatsFbank(samples: Float32Array, options: { readonly melBins?: number } = {}): FeatureTensor {
  const scaled = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) scaled[i] = samples[i] * 32768;
  const fbank = kaldiFbank(scaled, { sampleRate: 16000, melBins: options.melBins ?? 128, frameLengthMs: 25, frameShiftMs: 10 });
  const data = fbank.data;
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - BEATS_FBANK_MEAN) / (2 * BEATS_FBANK_STD);
  return { data, shape: fbank.shape };
}

/**
 * Kaldi's mel bins [melBins, paddedSize/2 + 1] (the Nyquist column is zero, as in Kaldi):
 * triangles on the mel scale 1127 ln(1 + f/700), peak 1, between lowFreq and highFreq.
 * Kaldi and torchaudio compute them in float32; so does this (Math.fround after each step),
 * because the narrow low-frequency triangles make the weights sensitive to that rounding.
 */
export function kaldiMelBanks(melBins: number, paddedSize: number, sampleRate: number, lowFreq: number, highFreq: number): Float64Array {
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  if (!(lowFreq >= 0 && lowFreq < nyquist && high > lowFreq && high <= nyquist)) {
    throw new MediaError('fbank-bad-options', `fbank: the mel range ${lowFreq}..${high} Hz does not fit 0..${nyquist} Hz`,
      'pick 0 <= lowFreq < highFreq <= sampleRate / 2 (highFreq <= 0 counts down from Nyquist)');
  }
  const f = Math.fround;
  const fftBins = paddedSize / 2;
  const binWidth = f(sampleRate / paddedSize);
  // The band edges and spacing are double precision scalars, then used in float32 arithmetic.
  const melLow = 1127 * Math.log(1 + lowFreq / 700);
  const melHigh = 1127 * Math.log(1 + high / 700);
  const lowF = f(melLow);
  const deltaF = f((melHigh - melLow) / (melBins + 1));
  const mels = new Float64Array(fftBins);
  for (let k = 0; k < fftBins; k++) mels[k] = f(1127 * f(Math.log(f(1 + f(f(binWidth * k) / 700)))));
  const banks = new Float64Array(melBins * (fftBins + 1));
  for (let m = 0; m < melBins; m++) {
    const left = f(lowF + f(m * deltaF));
    const center = f(lowF + f((m + 1) * deltaF));
    const right = f(lowF + f((m + 2) * deltaF));
    for (let k = 0; k < fftBins; k++) {
      const up = f(f(mels[k] - left) / f(center - left));
      const down = f(f(right - mels[k]) / f(right - center));
      banks[m * (fftBins + 1) + k] = Math.max(0, Math.min(up, down));
    }
  }
  return banks;
}

function kaldiWindow(kind: KaldiWindow, size: number): Float64Array {
  const window = new Float64Array(size);
  const a = (2 * Math.PI) / (size - 1);
  for (let n = 0; n < size; n++) {
    const hann = 0.5 - 0.5 * Math.cos(a * n);
    switch (kind) {
      case 'povey': window[n] = Math.pow(hann, 0.85); break;
      case 'hanning': window[n] = hann; break;
      case 'hamming': window[n] = 0.54 - 0.46 * Math.cos(a * n); break;
      case 'rectangular': window[n] = 1; break;
      default:
        throw new MediaError('fbank-bad-options', `fbank: unknown window ${JSON.stringify(kind)}`,
          "use 'povey' (Kaldi's default), 'hanning', 'hamming' or 'rectangular'");
    }
  }
  return window;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
