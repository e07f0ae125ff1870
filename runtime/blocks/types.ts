import type { tf } from '../backend/tf.js';
import type { Activation } from '../layers/activation.js';
import type { RopeTables } from '../layers/rope.js';

/**
 * What a decoder block needs; a structural subset of `compiler/model/types.ts` `DecoderConfig`, so
 * a generated `config.decoder` can be passed as is.
 */
export interface DecoderBlockConfig {
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly norm: { readonly eps: number };
  /** Activation of a GELU MLP (GPT-2: `gelu_tanh`); LLaMA's SwiGLU always uses SiLU. */
  readonly activation: Activation;
  readonly position: { readonly kind: 'learned' } | { readonly kind: 'rope'; readonly theta: number };
  /** LLaMA only: biases on q/k/v/o (Qwen-style checkpoints); default false. */
  readonly attentionBias?: boolean;
  /** LLaMA only: biases on gate/up/down; default false. */
  readonly mlpBias?: boolean;
}

/** What an encoder layer needs; structurally satisfied by `VitEncoder` and `WhisperEncoder`. */
export interface EncoderLayerConfig {
  readonly hidden: number;
  readonly heads: number;
  readonly normEps: number;
  /** Overrides the family's activation (CLIP quick_gelu, SigLIP gelu_tanh, Whisper gelu). */
  readonly activation?: Activation;
}

/** Cached keys and values of one decoder layer: `[B, keyLength, kvHeads·headDim]`, keys after RoPE. */
export interface KeyValue {
  readonly key: tf.Tensor3D;
  readonly value: tf.Tensor3D;
}

export interface DecoderBlockState {
  /** HF mask `[B, past + T]`: 1 attend, 0 padding. */
  readonly attentionMask?: tf.Tensor2D;
  /** This layer's cache from earlier steps; the block returns the extended one as `present`. */
  readonly past?: KeyValue;
  /** LLaMA: cos/sin for this step's positions (`ropeTables`); default positions past..past+T-1. */
  readonly rope?: RopeTables;
}

export interface DecoderBlockOutput {
  readonly hidden: tf.Tensor3D;
  readonly present: KeyValue;
}
