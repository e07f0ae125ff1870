/**
 * The checked model: what the checker "lifts" a resolved spec into once every rule has passed.
 * Everything here is concrete and consistent (widths agree, token counts are computed), so the
 * stages after the checker (analyses, IR, code generation, plans, exports) never fail on it.
 *
 * Conventions: widths and counts are plain integers (all well below 2^53); names follow
 * Hugging Face's configs where one exists. Units: tokens, samples, pixels.
 */
import type { Span } from '../diagnostics/types.js';

export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu';
export type DType = 'float32' | 'float16' | 'bfloat16';
export type NormKind = 'layernorm' | 'rmsnorm';

export interface Norm {
  readonly kind: NormKind;
  readonly eps: number;
}

// ---- decoder (the brain) ----------------------------------------------------------------------

export interface DecoderConfig {
  /** `gpt2`: LayerNorm, GELU MLP, learned positions, biases, tied head. `llama`: RMSNorm, SwiGLU, RoPE, no biases. */
  readonly family: 'gpt2' | 'llama';
  /** Preset it started from (`llama-2-7b`), if any. */
  readonly preset: string | undefined;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  /** hidden / heads. */
  readonly headDim: number;
  /** Inner width of the MLP (for SwiGLU: of each of gate and up). */
  readonly ffn: number;
  /** Base vocabulary of the checkpoint, before added placeholder tokens. */
  readonly vocab: number;
  /** Vocabulary after added tokens (the embedding and head are resized to this). */
  readonly vocabTotal: number;
  readonly context: number;
  readonly norm: Norm;
  readonly mlp: 'gelu_mlp' | 'swiglu';
  /** Activation of a `gelu_mlp` (GPT-2 uses `gelu_tanh`, "gelu_new"). */
  readonly activation: Activation;
  readonly position: { readonly kind: 'learned' } | { readonly kind: 'rope'; readonly theta: number };
  readonly tiedEmbeddings: boolean;
  /** Biases on q/k/v/o projections. */
  readonly attentionBias: boolean;
  /** Biases on MLP projections. */
  readonly mlpBias: boolean;
  readonly frozen: boolean;
}

// ---- inputs ---------------------------------------------------------------------------------

export type SenseInput =
  | { readonly kind: 'image'; readonly size: number; readonly channels: number }
  | { readonly kind: 'video'; readonly frames: number; readonly size: number; readonly channels: number }
  | {
      readonly kind: 'audio';
      readonly seconds: number;
      readonly sampleRate: number;
      /** seconds * sampleRate, an integer. */
      readonly samples: number;
    };

// ---- encoders -------------------------------------------------------------------------------

export interface VitEncoder {
  /** `clip_vit`: class token, pre-layernorm, quick-GELU. `siglip_vit`: no class token, tanh-GELU. */
  readonly family: 'clip_vit' | 'siglip_vit';
  readonly preset: string | undefined;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly patch: number;
  /** Image size the encoder's position table was trained for (square). */
  readonly imageSize: number;
  readonly channels: number;
  readonly activation: Activation;
  readonly normEps: number;
  readonly classToken: boolean;
  /** CLIP's `pre_layrnorm` after the embeddings. */
  readonly preNorm: boolean;
  /** Which layer's hidden state feeds the projector; negative counts from the end (-1 = last). */
  readonly selectLayer: number;
  /** Layers actually run: those up to and including `selectLayer`. */
  readonly layersUsed: number;
  readonly dropClassToken: boolean;
  /** Average pooling of the patch grid per frame (LLaVA-NeXT-Video uses stride 2); 1 = none. */
  readonly poolStride: number;
  readonly frozen: boolean;
}

export interface WhisperEncoder {
  readonly family: 'whisper';
  readonly preset: string | undefined;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly melBins: number;
  /** Positions of the sinusoidal table (1500 for every published Whisper). */
  readonly positions: number;
  readonly hopLength: number;
  readonly nFft: number;
  /** Drop the last STFT frame as openai/whisper does (30 s: 3001 -> 3000 mel frames -> 1500 positions). */
  readonly dropLastFrame: boolean;
  readonly normEps: number;
  readonly frozen: boolean;
}

export interface BeatsEncoder {
  readonly family: 'beats';
  readonly preset: string | undefined;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly melBins: number;
  /** Square patch over (frames x mel bins). */
  readonly patch: number;
  /** Width of the patch embedding before its projection to `hidden`. */
  readonly embedDim: number;
  readonly convPosKernel: number;
  readonly convPosGroups: number;
  readonly relPosBuckets: number;
  readonly maxDistance: number;
  /** fbank frame shift in ms and window in ms. */
  readonly frameShiftMs: number;
  readonly frameLengthMs: number;
  readonly normEps: number;
  readonly frozen: boolean;
}

export type Encoder = VitEncoder | WhisperEncoder | BeatsEncoder;

// ---- projectors -----------------------------------------------------------------------------

export type Projector =
  | {
      readonly kind: 'mlp';
      /** Number of linear layers (LLaVA's mlp2x_gelu = 2). */
      readonly depth: number;
      readonly activation: Activation;
      readonly inputWidth: number;
      /** Width of the hidden layers (Megatron's ffn size; LLaVA: = outputWidth). */
      readonly hiddenWidth: number;
      readonly outputWidth: number;
      readonly bias: boolean;
      readonly frozen: boolean;
    }
  | {
      readonly kind: 'affine';
      readonly inputWidth: number;
      readonly outputWidth: number;
      readonly bias: boolean;
      readonly frozen: boolean;
    };

// ---- senses ---------------------------------------------------------------------------------

export interface PlaceholderToken {
  /** `<video>` */
  readonly text: string;
  /** Id in the (extended) vocabulary. */
  readonly id: number;
  /** True when the token is added to the vocabulary (the embedding grows by one row). */
  readonly added: boolean;
}

/** How a sense's token count was derived, step by step, for messages and `mimo stats`. */
export interface TokenDerivation {
  readonly steps: readonly { readonly label: string; readonly value: number }[];
}

export interface Sense {
  readonly name: string;
  readonly input: SenseInput;
  readonly encoder: Encoder;
  readonly projector: Projector;
  readonly token: PlaceholderToken;
  /** Embeddings this sense writes into the sequence per sample (all frames / whole clip). */
  readonly tokens: number;
  readonly derivation: TokenDerivation;
}

// ---- model ----------------------------------------------------------------------------------

export interface CheckedModel {
  /** Stable id: the model name, or `base/variant`, or `base/sweep[k=v,...]`. */
  readonly id: string;
  readonly name: string;
  readonly decoder: DecoderConfig;
  readonly senses: readonly Sense[];
  /** Text tokens of the stated prompt budget (the sequence is text + all sense tokens). */
  readonly textTokens: number;
  /** textTokens + sum of sense tokens; never above decoder.context. */
  readonly sequenceLength: number;
  readonly dtype: DType;
  /** Where each value came from, by dotted path (`decoder.hidden`, `senses.vision.encoder.patch`). */
  readonly spans: ReadonlyMap<string, Span>;
}
