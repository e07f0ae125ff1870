/**
 * The graph IR: one SSA graph per checked model, of typed primitive ops over tensors with
 * symbolic shapes. It is what the analyses, the fusion planner (compiler/plan) and the exports
 * read; the code generator reads its weight manifest. See README.md in this folder for the op
 * table, the shape symbols and the weight naming scheme.
 *
 * Contract (stable; bump `IR_VERSION` on any change a consumer must know about):
 * - `graph.nodes` is in topological order and `nodes[i].id === i`: a node's inputs are ids of
 *   earlier nodes. Every value is produced by exactly one node (graph inputs, weights and scalar
 *   constants are nodes too), so there are no other kinds of value references.
 * - Every node carries its output `shape`, `dtype`, fusion `category` and `scope` (the Hugging
 *   Face module path it belongs to, e.g. `language_model.model.layers.3.self_attn`).
 * - Semantics follow PyTorch / Hugging Face: NCHW / NCW layouts for convolutions, linear weights
 *   stored `[out, in]` (applied as `matmul(x, W, transposeB: true)`), GPT-2 `Conv1D` weights
 *   stored `[in, out]` (applied with `transposeB: false`).
 */

export const IR_VERSION = 1;

/**
 * One dimension: a non-negative integer, or a symbolic monomial in canonical text form — an
 * optional integer coefficient (> 1) followed by symbol names in ascending order, joined by `*`:
 * `batch`, `seq`, `8*batch`. Symbols are declared in `Graph.symbols`. Use `compiler/ir/dims.ts`
 * to multiply, compare and evaluate dims; never build the strings by hand.
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

/** Element types. Float activations and weights use the model's dtype; ids and indices are int32. */
export type IrDType = 'float32' | 'float16' | 'bfloat16' | 'int32';

/**
 * TVM's operator pattern taxonomy, used by the fusion planner:
 * - `elementwise`: same-shape inputs and output, one-to-one (add of equal shapes, activations);
 * - `broadcast`: elementwise with broadcasting of some input (bias add, mask add, scale by scalar);
 * - `injective`: each output element reads a fixed, index-computable set of input elements
 *   (reshape, transpose, slice, concat, gather, rope, mask building);
 * - `reduction`: reduces over an axis (softmax, norms, sums);
 * - `out_elementwise_fusable`: a heavy op whose output may take an elementwise epilogue
 *   (matmul, conv, pooling);
 * - `opaque`: not fusable (the data-dependent zipper scatter) — a fusion boundary.
 * Sources (`input`, `weight`, `constant`, `rel_pos_buckets`) are `injective` with no inputs.
 */
export type OpCategory =
  | 'elementwise'
  | 'broadcast'
  | 'injective'
  | 'reduction'
  | 'out_elementwise_fusable'
  | 'opaque';

/** Pointwise functions of `activation`. `gelu` is the erf form; `gelu_tanh` GPT-2's "gelu_new"; `quick_gelu` x·σ(1.702x). */
export type ActivationFn = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu' | 'sigmoid' | 'tanh';

/** What a graph input carries; the runtime front ends and the zipper produce them. */
export type InputRole =
  /** `[batch, seq]` int32 prompt ids with every placeholder already expanded to its sense's token count. */
  | 'input_ids'
  /** `[batch, seq]` int32, 1 for real tokens and 0 for padding. */
  | 'attention_mask'
  /** `[batch, seq]` int32 positions (0-based, padding-aware) for RoPE or learned positions. */
  | 'position_ids'
  /** Normalised pixels: image `[batch, channels, size, size]`, video `[batch, frames, channels, size, size]`. */
  | 'pixel_values'
  /** Whisper log-mel features `[batch, mel_bins, frames]`. */
  | 'input_features'
  /** BEATs normalised Kaldi fbank `[batch, frames, mel_bins]`. */
  | 'fbank';

/** Op kinds and their attributes. The operand list of each kind is documented on its entry. */
export interface OpAttrs {
  /** Graph input. No operands. */
  readonly input: { readonly name: string; readonly role: InputRole; readonly sense: string | undefined };
  /** A named parameter of the weight manifest (`Graph.weights`). No operands. */
  readonly weight: { readonly name: string };
  /** A scalar constant, shape `[]`. No operands. */
  readonly constant: { readonly value: number };
  /**
   * BEATs/T5 relative position buckets, int32 `[length, length]`: entry (i, j) buckets the
   * offset j − i (bidirectional: half the buckets for positive offsets, log-spaced beyond
   * `buckets / 4`, capped at `maxDistance`). No operands.
   */
  readonly rel_pos_buckets: { readonly length: number; readonly buckets: number; readonly maxDistance: number };

  /** Binary ops with NumPy broadcasting: `(a, b)`. */
  readonly add: Record<string, never>;
  readonly sub: Record<string, never>;
  readonly mul: Record<string, never>;
  readonly div: Record<string, never>;
  /** `(x)`. */
  readonly activation: { readonly fn: ActivationFn };

  /**
   * `(a, b)`: batched matrix product over the last two axes, leading axes broadcast.
   * `transposeB` reads `b` as `[..., n, k]` (Hugging Face linear weights are `[out, in]`).
   */
  readonly matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  /** `(x [N, Cin, L], w [Cout, Cin/groups, K], bias? [Cout])`, zero padding on both sides. */
  readonly conv1d: { readonly stride: number; readonly padding: number; readonly groups: number };
  /** `(x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias? [Cout])`. */
  readonly conv2d: {
    readonly stride: readonly [number, number];
    readonly padding: readonly [number, number];
    readonly groups: number;
  };
  /** `(x [N, C, H, W])`, no padding, floor. */
  readonly avg_pool2d: { readonly kernel: number; readonly stride: number };

  /** `(x, gamma [D], beta [D])` over the last axis. */
  readonly layernorm: { readonly eps: number };
  /** `(x, gamma [D])` over the last axis: x / sqrt(mean(x²) + eps) · gamma. */
  readonly rmsnorm: { readonly eps: number };
  /** `(g, v)`: w = g · v / ‖v‖, the norm taken over every axis except `dim` (PyTorch weight_norm). */
  readonly weight_norm: { readonly dim: number };
  /** `(x)` along `axis` (negative counts from the end). */
  readonly softmax: { readonly axis: number };
  /** `(x)` summed over `axes` (non-negative, ascending). */
  readonly reduce_sum: { readonly axes: readonly number[]; readonly keepDims: boolean };

  /** `(x)` to the node's shape (same element count, row-major). */
  readonly reshape: Record<string, never>;
  /** `(x)` with output axis i = input axis `perm[i]`. */
  readonly transpose: { readonly perm: readonly number[] };
  /** `(x)` to the node's shape by NumPy broadcasting. */
  readonly broadcast_to: Record<string, never>;
  /** `(a, b, ...)` along `axis`. */
  readonly concat: { readonly axis: number };
  /** `(x)`: indices `[start, end)` of `axis`, step 1. */
  readonly slice: { readonly axis: number; readonly start: number; readonly end: number };
  /** `(x)`: each index of `axis` repeated `times` in place (torch.repeat_interleave); GQA's repeat_kv. */
  readonly repeat: { readonly axis: number; readonly times: number };
  /** `(table [V, ...], indices int32 [...])` → `[...indices, ...table.shape[1:]]`: embedding lookup. */
  readonly gather: Record<string, never>;
  /**
   * `(x [batch, heads, seq, headDim], position_ids int32 [batch, seq])`: rotary embedding in
   * Hugging Face's rotate-half convention on the first `rotaryDim` features.
   */
  readonly rope: { readonly theta: number; readonly rotaryDim: number };
  /**
   * `(attention_mask int32 [batch, seq])` → float `[batch, 1, seq, seq]`: 0 where key j ≤ query i
   * and key j is not padding, else `negative` (finite, so fully padded rows stay finite).
   */
  readonly causal_mask: { readonly negative: number };
  /**
   * The zipper: `(embeds [batch, seq, hidden], input_ids int32 [batch, seq], senses...)` where
   * sense k is `[batch, tokens_k, hidden]`. For each row, the n-th position holding
   * `placeholders[k].tokenId` receives row n of sense k; other positions keep `embeds`. A row
   * whose placeholder count differs from `tokens_k` is a run-time error (the runtime zipper
   * checks it). Data-dependent, hence `opaque`.
   */
  readonly zip: { readonly placeholders: readonly ZipPlaceholder[] };
}

export interface ZipPlaceholder {
  readonly sense: string;
  readonly tokenId: number;
  readonly tokens: number;
}

export type OpKind = keyof OpAttrs;

/** One SSA node. Generic over its kind so that `node.attrs` narrows after a check of `node.op`. */
export interface IrNodeOf<K extends OpKind> {
  /** Index in `Graph.nodes`; printed as `%id`. */
  readonly id: number;
  readonly op: K;
  /** Ids of the operand nodes, each smaller than `id`. */
  readonly inputs: readonly number[];
  readonly attrs: OpAttrs[K];
  readonly shape: Shape;
  readonly dtype: IrDType;
  readonly category: OpCategory;
  /** Hugging Face module path the op belongs to (`vision_tower.vision_model.encoder.layers.0.mlp`); '' for the top level. */
  readonly scope: string;
}

export type IrNode = { [K in OpKind]: IrNodeOf<K> }[OpKind];

/** How seeded random initialisation should fill a weight (runtime/io implements it). */
export type WeightInit =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' };

/** Which part of the model a weight belongs to (for per-module parameter counts and freezing). */
export type WeightComponent =
  | { readonly kind: 'decoder' }
  | { readonly kind: 'encoder'; readonly sense: string }
  | { readonly kind: 'projector'; readonly sense: string };

/** One entry of the weight manifest. */
export interface WeightSpec {
  /** Hugging Face / LLaVA-style checkpoint name (README.md: "Weight names"). */
  readonly name: string;
  /** Concrete: weights have no symbolic dims. */
  readonly shape: readonly number[];
  readonly dtype: IrDType;
  readonly component: WeightComponent;
  readonly frozen: boolean;
  /**
   * False for checkpoint tensors the forward never reads (CLIP layers after `select_layer`,
   * `post_layernorm`); kept so that a manifest lists a loadable checkpoint's full layout.
   */
  readonly used: boolean;
  readonly init: WeightInit;
}

/** A shape symbol with its meaning and an upper bound (e.g. `seq` ≤ the decoder's context). */
export interface SymbolSpec {
  readonly name: string;
  readonly description: string;
  readonly max: number | undefined;
}

export interface GraphOutput {
  readonly name: string;
  readonly node: number;
}

export interface Graph {
  readonly version: typeof IR_VERSION;
  /** `CheckedModel.id`. */
  readonly modelId: string;
  readonly symbols: readonly SymbolSpec[];
  readonly nodes: readonly IrNode[];
  /** Graph outputs by name (`logits`). */
  readonly outputs: readonly GraphOutput[];
  /** The weight manifest, in checkpoint order (decoder, then each sense's encoder and projector). */
  readonly weights: readonly WeightSpec[];
}

/** Values of the shape symbols, for evaluating shapes at concrete sizes. */
export type SymbolBindings = Readonly<Record<string, number>>;
