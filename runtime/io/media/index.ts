/** Media front ends: WAV, Whisper log-mel, Kaldi/BEATs fbank, normalised pixels. */
export type { FeatureTensor } from './features.js';
export { readWav, encodeWav, type WavAudio, type WavSampleFormat, type ReadWavOptions } from './wav.js';
export {
  WHISPER_SAMPLE_RATE,
  WHISPER_N_FFT,
  WHISPER_HOP_LENGTH,
  WHISPER_CHUNK_SAMPLES,
  whisperLogMel,
  padOrTrim,
  slaneyMelFilters,
  type WhisperLogMelOptions,
} from './whisper-logmel.js';
export {
  BEATS_FBANK_MEAN,
  BEATS_FBANK_STD,
  kaldiFbank,
  beatsFbank,
  kaldiMelBanks,
  type KaldiWindow,
  type KaldiFbankOptions,
} from './fbank.js';
export {
  CLIP_NORMALIZATION,
  SIGLIP_NORMALIZATION,
  normalizeImage,
  normalizeVideoFrames,
  type RawImage,
  type PixelNormalization,
  type NormalizeImageOptions,
} from './image.js';
