/**
 * Quantities derived from a model's parts, shared by the rules that check them and by the lift:
 * how many tokens each sense writes into the sequence (with every step of the arithmetic), the
 * encoder's output width, and the number of audio samples. Pure functions; `undefined` means an
 * input is missing or invalid, which another rule reports.
 */
import type { Span } from '../diagnostics/types.js';
import { PRESET_FILE_PREFIX } from '../resolve/tree.js';
import { readBoolean, readNumber, type Part, type SenseParts } from './read.js';

export interface Step {
  readonly label: string;
  readonly value: number;
}

export type TokenProblem =
  | { readonly kind: 'samplesNotInteger'; readonly seconds: number; readonly sampleRate: number; readonly samples: number; readonly span: Span }
  | { readonly kind: 'whisperTooLong'; readonly tokens: number; readonly positions: number; readonly melFrames: number; readonly hop: number; readonly samples: number; readonly dropLast: boolean; readonly span: Span }
  | { readonly kind: 'audioTooShort'; readonly samples: number; readonly needed: number; readonly what: string; readonly span: Span }
  | { readonly kind: 'melBinsNotDivisible'; readonly melBins: number; readonly patch: number; readonly span: Span };

export interface TokenDerivation {
  /** Tokens per sample, when they could be computed and no problem was found. */
  readonly tokens: number | undefined;
  readonly steps: readonly Step[];
  readonly problem: TokenProblem | undefined;
}

const incomplete: TokenDerivation = { tokens: undefined, steps: [], problem: undefined };

/** Whole samples in an audio clip, or a problem when `seconds x sample_rate` is not whole. */
export function audioSamples(input: Part): { samples: number; exact: boolean; seconds: number; sampleRate: number; span: Span } | undefined {
  const seconds = readNumber(input, 'seconds');
  const rate = readNumber(input, 'sample_rate');
  if (seconds === undefined || rate === undefined) return undefined;
  const product = seconds.value * rate.value;
  const rounded = Math.round(product);
  // Decimal seconds like 20.5 or 0.1 multiply to a whole number up to floating-point noise.
  const exact = Math.abs(product - rounded) <= 1e-9 * Math.max(1, Math.abs(product));
  return { samples: exact ? rounded : product, exact, seconds: seconds.value, sampleRate: rate.value, span: seconds.span ?? input.span };
}

// Three places need each sense's tokens (SenseTokensRule, SequenceBudgetRule, the lift) and they
// share one `SenseParts` per model check; the derivation is pure, so it is computed once per parts.
const derivations = new WeakMap<SenseParts, TokenDerivation>();

export function senseTokens(sense: SenseParts): TokenDerivation {
  let derivation = derivations.get(sense);
  if (derivation === undefined) {
    derivation = deriveSenseTokens(sense);
    derivations.set(sense, derivation);
  }
  return derivation;
}

function deriveSenseTokens(sense: SenseParts): TokenDerivation {
  const { input, encoder } = sense;
  if (input === undefined || encoder === undefined) return incomplete;
  switch (encoder.kind.name) {
    case 'clip_vit':
    case 'siglip_vit':
      return input.kind.name === 'image' || input.kind.name === 'video' ? vitTokens(input, encoder) : incomplete;
    case 'whisper':
      return input.kind.name === 'audio' ? whisperTokens(input, encoder) : incomplete;
    case 'beats':
      return input.kind.name === 'audio' ? beatsTokens(input, encoder) : incomplete;
    default:
      return incomplete;
  }
}

/**
 * The side of a ViT's patch grid for an image input: size / patch when the patch divides the
 * size. A published encoder may itself leave a remainder at its trained size (SigLIP so400m/14 at
 * 384 px: 27 x 27 patches, the last 6 px unseen), so a preset's own geometry is accepted with the
 * grid rounded down. `divides` says whether the size passed that test.
 */
export function patchGrid(input: Part, encoder: Part): { grid: number; size: number; patch: number; remainder: number; divides: boolean } | undefined {
  const size = readNumber(input, 'size');
  const patch = readNumber(encoder, 'patch');
  const imageSize = readNumber(encoder, 'image_size');
  if (size === undefined || patch === undefined) return undefined;
  const remainder = size.value % patch.value;
  const published = imageSize?.span?.file.startsWith(PRESET_FILE_PREFIX) === true && imageSize.value === size.value && patch.span?.file.startsWith(PRESET_FILE_PREFIX) === true;
  return { grid: Math.floor(size.value / patch.value), size: size.value, patch: patch.value, remainder, divides: remainder === 0 || published };
}

function vitTokens(input: Part, encoder: Part): TokenDerivation {
  const frames = input.kind.name === 'video' ? readNumber(input, 'frames') : { value: 1, span: undefined };
  const geometry = patchGrid(input, encoder);
  const pool = readNumber(encoder, 'pool');
  const classToken = readBoolean(encoder, 'class_token');
  const dropCls = readBoolean(encoder, 'drop_cls');
  if (geometry === undefined || frames === undefined || pool === undefined || classToken === undefined || dropCls === undefined) return incomplete;
  if (!geometry.divides) return incomplete;
  const { grid } = geometry;
  if (grid === 0 || grid % pool.value !== 0) return incomplete;
  const steps: Step[] = [
    {
      label: geometry.remainder === 0 ? `patch grid: ${geometry.size} px / ${geometry.patch} px patches` : `patch grid: floor(${geometry.size} px / ${geometry.patch} px patches)`,
      value: grid,
    },
    { label: `patches per frame: ${grid} x ${grid}`, value: grid * grid },
  ];
  let perFrame = grid * grid;
  if (pool.value > 1) {
    const pooled = grid / pool.value;
    perFrame = pooled * pooled;
    steps.push({ label: `after ${pool.value}x${pool.value} average pooling: (${grid} / ${pool.value})^2`, value: perFrame });
  }
  if (classToken.value && !dropCls.value) {
    perFrame += 1;
    steps.push({ label: 'plus the class token', value: perFrame });
  } else if (classToken.value) {
    steps.push({ label: 'class token dropped', value: perFrame });
  }
  const tokens = perFrame * frames.value;
  if (input.kind.name === 'video') steps.push({ label: `${frames.value} frames x ${perFrame}`, value: tokens });
  return { tokens, steps, problem: undefined };
}

function samplesStep(samples: { samples: number; seconds: number; sampleRate: number }): Step {
  return { label: `samples: ${samples.seconds} s x ${samples.sampleRate} Hz`, value: samples.samples };
}

function whisperTokens(input: Part, encoder: Part): TokenDerivation {
  const samples = audioSamples(input);
  const hop = readNumber(encoder, 'hop_length');
  const nFft = readNumber(encoder, 'n_fft');
  const positions = readNumber(encoder, 'positions');
  const dropLast = readBoolean(encoder, 'drop_last_frame');
  if (samples === undefined || hop === undefined || nFft === undefined || positions === undefined || dropLast === undefined) return incomplete;
  if (!samples.exact) {
    return { tokens: undefined, steps: [], problem: { kind: 'samplesNotInteger', seconds: samples.seconds, sampleRate: samples.sampleRate, samples: samples.samples, span: samples.span } };
  }
  const steps: Step[] = [samplesStep(samples)];
  // A centered STFT pads n_fft/2 on each side by reflection, which needs more samples than that.
  const needed = Math.floor(nFft.value / 2) + 1;
  if (samples.samples < needed) {
    return { tokens: undefined, steps, problem: { kind: 'audioTooShort', samples: samples.samples, needed, what: `the centered STFT (n_fft ${nFft.value}) needs at least ${needed} samples`, span: samples.span } };
  }
  // torch.stft(center=True) gives 1 + floor(samples / hop) frames.
  let mel = Math.floor(samples.samples / hop.value) + 1;
  steps.push({ label: `mel frames: floor(${samples.samples} / ${hop.value}) + 1 (centered STFT, hop ${hop.value})`, value: mel });
  if (dropLast.value) {
    mel -= 1;
    steps.push({ label: 'last STFT frame dropped (as openai/whisper does)', value: mel });
  }
  // conv1: kernel 3, stride 1, padding 1 keeps the length; conv2: kernel 3, stride 2, padding 1.
  const tokens = Math.ceil(mel / 2);
  steps.push({ label: `after the stride-2 convolution: ceil(${mel} / 2)`, value: tokens });
  if (tokens > positions.value) {
    return {
      tokens: undefined,
      steps,
      problem: { kind: 'whisperTooLong', tokens, positions: positions.value, melFrames: mel, hop: hop.value, samples: samples.samples, dropLast: dropLast.value, span: samples.span },
    };
  }
  return { tokens, steps, problem: undefined };
}

function beatsTokens(input: Part, encoder: Part): TokenDerivation {
  const samples = audioSamples(input);
  const shiftMs = readNumber(encoder, 'frame_shift_ms');
  const lengthMs = readNumber(encoder, 'frame_length_ms');
  const patch = readNumber(encoder, 'patch');
  const melBins = readNumber(encoder, 'mel_bins');
  if (samples === undefined || shiftMs === undefined || lengthMs === undefined || patch === undefined || melBins === undefined) return incomplete;
  if (!samples.exact) {
    return { tokens: undefined, steps: [], problem: { kind: 'samplesNotInteger', seconds: samples.seconds, sampleRate: samples.sampleRate, samples: samples.samples, span: samples.span } };
  }
  if (melBins.value % patch.value !== 0) {
    return { tokens: undefined, steps: [], problem: { kind: 'melBinsNotDivisible', melBins: melBins.value, patch: patch.value, span: melBins.span ?? patch.span ?? encoder.span } };
  }
  // Kaldi's fbank (torchaudio.compliance.kaldi) truncates window and shift to whole samples.
  const window = Math.floor(samples.sampleRate * lengthMs.value * 0.001 + 1e-9);
  const shift = Math.floor(samples.sampleRate * shiftMs.value * 0.001 + 1e-9);
  const steps: Step[] = [
    samplesStep(samples),
    { label: `fbank window: ${lengthMs.value} ms at ${samples.sampleRate} Hz`, value: window },
    { label: `fbank shift: ${shiftMs.value} ms at ${samples.sampleRate} Hz`, value: shift },
  ];
  if (shift < 1 || window < 1) return { tokens: undefined, steps, problem: { kind: 'audioTooShort', samples: samples.samples, needed: 1, what: 'the fbank window and shift must be at least one sample', span: encoder.span } };
  if (samples.samples < window) {
    return { tokens: undefined, steps, problem: { kind: 'audioTooShort', samples: samples.samples, needed: window, what: `one ${lengthMs.value} ms fbank window needs ${window} samples`, span: samples.span } };
  }
  // snip_edges: only whole windows, 1 + floor((samples - window) / shift).
  const frames = 1 + Math.floor((samples.samples - window) / shift);
  steps.push({ label: `fbank frames: 1 + floor((${samples.samples} - ${window}) / ${shift})`, value: frames });
  const timePatches = Math.floor(frames / patch.value);
  steps.push({ label: `time patches: floor(${frames} / ${patch.value})`, value: timePatches });
  const freqPatches = melBins.value / patch.value;
  steps.push({ label: `frequency patches: ${melBins.value} mel bins / ${patch.value}`, value: freqPatches });
  const tokens = timePatches * freqPatches;
  steps.push({ label: `tokens: ${timePatches} x ${freqPatches}`, value: tokens });
  if (timePatches === 0) {
    const neededSamples = window + (patch.value - 1) * shift;
    return { tokens: undefined, steps, problem: { kind: 'audioTooShort', samples: samples.samples, needed: neededSamples, what: `one ${patch.value}-frame patch needs ${patch.value} fbank frames`, span: samples.span } };
  }
  return { tokens, steps, problem: undefined };
}

/** Width of an encoder's output features (what the projector receives). */
export function encoderWidth(encoder: Part): { value: number; span: Span | undefined } | undefined {
  return readNumber(encoder, 'hidden');
}

/** Layers an encoder actually runs for its `select_layer` (ViTs); all layers for others. */
export function layersUsed(encoder: Part): number | undefined {
  const layers = readNumber(encoder, 'layers');
  if (layers === undefined) return undefined;
  if (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit') return layers.value;
  const select = readNumber(encoder, 'select_layer');
  if (select === undefined) return undefined;
  const index = select.value < 0 ? layers.value + select.value : select.value;
  return index >= 0 && index < layers.value ? index + 1 : undefined;
}
