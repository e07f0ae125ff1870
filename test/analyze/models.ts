/**
 * Hand-built checked models for the analysis tests. Hyper-parameters are the published configs
 * (see /work/shared/reference/models.md and each factory's comment); the tests' expected counts
 * come from published sources, never from these factories.
 */
import type {
  BeatsEncoder,
  CheckedModel,
  DecoderConfig,
  DType,
  Encoder,
  Projector,
  Sense,
  SenseInput,
  VitEncoder,
  WhisperEncoder,
} from '../../compiler/model/types.js';

type DecoderSize = Pick<DecoderConfig, 'layers' | 'hidden' | 'heads' | 'ffn'> & Partial<DecoderConfig>;

/** GPT-2 (openai-community/gpt2 configs): LayerNorm, gelu_new MLP, learned positions, biases, tied head. */
export function gpt2Decoder(size: DecoderSize): DecoderConfig {
  return {
    family: 'gpt2',
    preset: undefined,
    kvHeads: size.heads,
    headDim: size.hidden / size.heads,
    vocab: 50257,
    vocabTotal: 50257,
    context: 1024,
    norm: { kind: 'layernorm', eps: 1e-5 },
    mlp: 'gelu_mlp',
    activation: 'gelu_tanh',
    position: { kind: 'learned' },
    tiedEmbeddings: true,
    attentionBias: true,
    mlpBias: true,
    frozen: false,
    ...size,
  };
}

/** LLaMA (meta-llama configs): RMSNorm, SwiGLU, RoPE, no biases, untied head unless said. */
export function llamaDecoder(size: DecoderSize): DecoderConfig {
  return {
    family: 'llama',
    preset: undefined,
    kvHeads: size.kvHeads ?? size.heads,
    headDim: size.hidden / size.heads,
    vocab: 32000,
    vocabTotal: size.vocabTotal ?? size.vocab ?? 32000,
    context: 4096,
    norm: { kind: 'rmsnorm', eps: 1e-5 },
    mlp: 'swiglu',
    activation: 'silu',
    position: { kind: 'rope', theta: 10000 },
    tiedEmbeddings: false,
    attentionBias: false,
    mlpBias: false,
    frozen: false,
    ...size,
  };
}

type VitSize = Pick<VitEncoder, 'layers' | 'hidden' | 'heads' | 'ffn' | 'patch' | 'imageSize'> & Partial<VitEncoder>;

/** CLIP vision tower (HF CLIPVisionModel): class token, pre_layrnorm, quick_gelu. */
export function clipVit(size: VitSize): VitEncoder {
  return {
    family: 'clip_vit',
    preset: undefined,
    channels: 3,
    activation: 'quick_gelu',
    normEps: 1e-5,
    classToken: true,
    preNorm: true,
    selectLayer: -1,
    layersUsed: size.layers,
    dropClassToken: false,
    poolStride: 1,
    frozen: false,
    ...size,
  };
}

/** SigLIP vision tower (HF SiglipVisionModel, without its attention-pooling head). */
export function siglipVit(size: VitSize): VitEncoder {
  return {
    family: 'siglip_vit',
    preset: undefined,
    channels: 3,
    activation: 'gelu_tanh',
    normEps: 1e-6,
    classToken: false,
    preNorm: false,
    selectLayer: -1,
    layersUsed: size.layers,
    dropClassToken: false,
    poolStride: 1,
    frozen: false,
    ...size,
  };
}

/** Whisper encoder (HF WhisperEncoder); every published size has 1500 positions. */
export function whisperEncoder(size: Pick<WhisperEncoder, 'layers' | 'hidden' | 'heads' | 'ffn'> & Partial<WhisperEncoder>): WhisperEncoder {
  return {
    family: 'whisper',
    preset: undefined,
    melBins: 80,
    positions: 1500,
    hopLength: 160,
    nFft: 400,
    dropLastFrame: true,
    normEps: 1e-5,
    frozen: false,
    ...size,
  };
}

/** BEATs (microsoft/unilm beats/BEATs.py defaults with the iter3 checkpoints' patch 16 and relative positions). */
export function beatsEncoder(overrides: Partial<BeatsEncoder> = {}): BeatsEncoder {
  return {
    family: 'beats',
    preset: 'iter3',
    layers: 12,
    hidden: 768,
    heads: 12,
    ffn: 3072,
    melBins: 128,
    patch: 16,
    embedDim: 512,
    convPosKernel: 128,
    convPosGroups: 16,
    relPosBuckets: 320,
    maxDistance: 800,
    frameShiftMs: 10,
    frameLengthMs: 25,
    normEps: 1e-5,
    frozen: false,
    ...overrides,
  };
}

export function mlpProjector(inputWidth: number, outputWidth: number, depth = 2, extra: Partial<Projector> = {}): Projector {
  return {
    kind: 'mlp',
    depth,
    activation: 'gelu',
    inputWidth,
    hiddenWidth: outputWidth,
    outputWidth,
    bias: true,
    frozen: false,
    ...extra,
  } as Projector;
}

export function affineProjector(inputWidth: number, outputWidth: number): Projector {
  return { kind: 'affine', inputWidth, outputWidth, bias: true, frozen: false };
}

export function sense(
  name: string,
  input: SenseInput,
  encoder: Encoder,
  projector: Projector,
  tokens: number,
  token: { text?: string; id?: number; added?: boolean } = {},
): Sense {
  return {
    name,
    input,
    encoder,
    projector,
    token: { text: token.text ?? `<${name}>`, id: token.id ?? 32000, added: token.added ?? true },
    tokens,
    derivation: { steps: [{ label: `${name} tokens`, value: tokens }] },
  };
}

export function model(
  decoder: DecoderConfig,
  senses: readonly Sense[] = [],
  options: { id?: string; textTokens?: number; dtype?: DType } = {},
): CheckedModel {
  const textTokens = options.textTokens ?? 256;
  const id = options.id ?? 'm';
  return {
    id,
    name: id,
    decoder,
    senses,
    textTokens,
    sequenceLength: textTokens + senses.reduce((n, s) => n + s.tokens, 0),
    dtype: options.dtype ?? 'bfloat16',
    spans: new Map(),
  };
}

export const image = (size: number): SenseInput => ({ kind: 'image', size, channels: 3 });
export const video = (frames: number, size: number): SenseInput => ({ kind: 'video', frames, size, channels: 3 });
export const audio = (seconds: number, sampleRate = 16000): SenseInput => ({
  kind: 'audio',
  seconds,
  sampleRate,
  samples: seconds * sampleRate,
});
