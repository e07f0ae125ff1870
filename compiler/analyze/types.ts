/**
 * What the analyses report about one checked model. Counts that can pass 2^53 (parameters, FLOPs,
 * bytes) are `bigint`; token counts and positions are plain numbers (the checker keeps them far
 * below 2^53).
 */
import type { DType } from '../model/types.js';

/** One module of the parameter tree: `decoder`, `decoder.layers.attention`, `vision.encoder`... */
export interface ParamNode {
  /** Path segment (`attention`); the dotted path of a node is its ancestors' names joined by dots. */
  readonly name: string;
  /** What the count is, for people (`q, k, v, o: 4 x 768 x 768 + biases, x 12 layers`). */
  readonly note: string;
  readonly params: bigint;
  /** Parameters that receive gradients: not in a frozen module and not a fixed table. */
  readonly trainable: bigint;
  readonly children: readonly ParamNode[];
}

/** One module of the FLOP tree (forward pass, one sample). */
export interface FlopNode {
  readonly name: string;
  readonly note: string;
  readonly flops: bigint;
  readonly children: readonly FlopNode[];
}

export interface SenseTokens {
  readonly sense: string;
  /** Placeholder text (`<video>`) and its id in the extended vocabulary. */
  readonly placeholder: string;
  readonly placeholderId: number;
  readonly tokens: number;
  readonly derivation: readonly { readonly label: string; readonly value: number }[];
}

export interface TokenReport {
  readonly bySense: readonly SenseTokens[];
  readonly text: number;
  /** text + every sense's tokens. */
  readonly total: number;
}

/** A run of consecutive sequence positions, `[start, end)`. */
export type LayoutSpan =
  | { readonly kind: 'sense'; readonly sense: string; readonly placeholder: string; readonly start: number; readonly end: number }
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number };

export interface TokenLayout {
  /** The prompt the layout was made for (placeholders in sense order, then text, unless one was given). */
  readonly prompt: string;
  readonly spans: readonly LayoutSpan[];
  /** Positions used: the end of the last span. */
  readonly length: number;
  /** Things about the prompt worth telling the user (a sense whose placeholder is missing...). */
  readonly problems: readonly string[];
}

export interface WeightBytes {
  readonly float32: bigint;
  readonly float16: bigint;
  readonly bfloat16: bigint;
  /** One byte per parameter: for reference (quantised weights plus scales would be a little more). */
  readonly int8: bigint;
}

export interface MemoryReport {
  readonly dtype: DType;
  readonly batch: number;
  readonly sequenceLength: number;
  /** Bytes of all stored weights at the model's dtype. */
  readonly weights: bigint;
  readonly weightsByDtype: WeightBytes;
  /** Bytes of the decoder's key/value cache for `batch` sequences of `sequenceLength`. */
  readonly kvCache: bigint;
  /** Peak bytes of live activations in an inference forward (see README.md for the formula). */
  readonly activations: bigint;
  /** weights + kvCache + activations. */
  readonly total: bigint;
}

export interface ModelAnalysis {
  readonly id: string;
  /** Root of the parameter tree: its children are `decoder` and one node per sense. */
  readonly params: ParamNode;
  readonly tokens: TokenReport;
  /** Decoder sequence length the FLOPs and memory were computed for. */
  readonly sequenceLength: number;
  /** Root of the FLOP tree (one forward pass of one sample). */
  readonly flops: FlopNode;
  readonly memory: MemoryReport;
  readonly layout: TokenLayout;
}

export interface AnalyzeOptions {
  /** Sequences per batch, for memory (default 1). FLOPs are always per sample. */
  readonly batch?: number;
  /** Decoder sequence length (default: the model's text + sense tokens). */
  readonly sequenceLength?: number;
  /** A prompt whose placeholders fix the order of the senses in the layout. */
  readonly prompt?: string;
  /** Skip the token layout (left empty) when only the numbers are wanted, as in `mimo variants`. */
  readonly layout?: boolean;
}
