/**
 * Building blocks shared by the families, each spelled out in primitive ops: linear layers,
 * norms, multi-head attention (with rotary, grouped-query and additive-bias hooks) and the
 * transformer MLPs. Every helper registers its weights under the builder's current scope.
 */
import type { GraphBuilder, ValueId } from '../builder.js';
import type { ActivationFn, Dim, WeightInit } from '../types.js';

export const NORMAL: WeightInit = { kind: 'normal', std: 0.02 };
export const ZEROS: WeightInit = { kind: 'zeros' };
export const ONES: WeightInit = { kind: 'ones' };

/** `x · Wᵀ + b` with a Hugging Face `nn.Linear` (`weight [out, in]`, `bias [out]`) named `local`. */
export function linear(b: GraphBuilder, x: ValueId, local: string, inWidth: number, outWidth: number, bias: boolean): ValueId {
  return b.within(local, () => {
    const w = b.weight('weight', [outWidth, inWidth], NORMAL);
    const y = b.op('matmul', [x, w], { transposeA: false, transposeB: true });
    return bias ? b.op('add', [y, b.weight('bias', [outWidth], ZEROS)]) : y;
  });
}

/** `x · W + b` with a GPT-2 `Conv1D` (`weight [in, out]`). */
export function conv1dLinear(b: GraphBuilder, x: ValueId, local: string, inWidth: number, outWidth: number, bias: boolean): ValueId {
  return b.within(local, () => {
    const w = b.weight('weight', [inWidth, outWidth], NORMAL);
    const y = b.op('matmul', [x, w], { transposeA: false, transposeB: false });
    return bias ? b.op('add', [y, b.weight('bias', [outWidth], ZEROS)]) : y;
  });
}

export function layerNorm(b: GraphBuilder, x: ValueId, local: string, width: number, eps: number): ValueId {
  return b.within(local, () => b.op('layernorm', [x, b.weight('weight', [width], ONES), b.weight('bias', [width], ZEROS)], { eps }));
}

export function rmsNorm(b: GraphBuilder, x: ValueId, local: string, width: number, eps: number): ValueId {
  return b.within(local, () => b.op('rmsnorm', [x, b.weight('weight', [width], ONES)], { eps }));
}

export function norm(b: GraphBuilder, x: ValueId, local: string, kind: 'layernorm' | 'rmsnorm', width: number, eps: number): ValueId {
  return kind === 'layernorm' ? layerNorm(b, x, local, width, eps) : rmsNorm(b, x, local, width, eps);
}

export function act(b: GraphBuilder, x: ValueId, fn: ActivationFn): ValueId {
  return b.op('activation', [x], { fn });
}

/** The projections of one attention block, as produced by `separateQkv` or `fusedQkv`. */
export interface Qkv {
  /** `[batch, seq, heads·headDim]` */
  readonly q: ValueId;
  /** `[batch, seq, kvHeads·headDim]` */
  readonly k: ValueId;
  readonly v: ValueId;
}

export interface AttentionShape {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
}

export interface AttentionOptions extends AttentionShape {
  /** RoPE on q and k with these positions (`[batch, seq]` int32). */
  readonly rope?: { readonly theta: number; readonly positions: ValueId };
  /** Additive mask `[batch, 1, seq, seq]`. */
  readonly mask?: ValueId;
  /** Additive score bias computed from the per-head queries `[batch, heads, seq, headDim]` (BEATs). */
  readonly scoreBias?: (q: ValueId) => ValueId;
}

/** `[batch, seq, heads·d]` → `[batch, heads, seq, d]`. */
export function splitHeads(b: GraphBuilder, x: ValueId, heads: number, headDim: number): ValueId {
  const [batch, seq] = b.shape(x);
  const r = b.op('reshape', [x], {}, { shape: [batch, seq, heads, headDim], dtype: b.type(x).dtype });
  return b.op('transpose', [r], { perm: [0, 2, 1, 3] });
}

/** `[batch, heads, seq, d]` → `[batch, seq, heads·d]`. */
export function mergeHeads(b: GraphBuilder, x: ValueId, heads: number, headDim: number): ValueId {
  const t = b.op('transpose', [x], { perm: [0, 2, 1, 3] });
  const [batch, seq] = b.shape(t);
  return b.op('reshape', [t], {}, { shape: [batch, seq, heads * headDim], dtype: b.type(x).dtype });
}

/**
 * Scaled dot-product attention over projected q, k, v; returns `[batch, seq, heads·headDim]`
 * (before the output projection). The op pattern is the one the planner matches.
 */
export function attentionCore(b: GraphBuilder, qkv: Qkv, o: AttentionOptions): ValueId {
  let q = splitHeads(b, qkv.q, o.heads, o.headDim);
  let k = splitHeads(b, qkv.k, o.kvHeads, o.headDim);
  let v = splitHeads(b, qkv.v, o.kvHeads, o.headDim);
  if (o.rope !== undefined) {
    q = b.op('rope', [q, o.rope.positions], { theta: o.rope.theta, rotaryDim: o.headDim });
    k = b.op('rope', [k, o.rope.positions], { theta: o.rope.theta, rotaryDim: o.headDim });
  }
  if (o.kvHeads !== o.heads) {
    const times = o.heads / o.kvHeads;
    k = b.op('repeat', [k], { axis: 1, times });
    v = b.op('repeat', [v], { axis: 1, times });
  }
  let scores = b.op('matmul', [q, k], { transposeA: false, transposeB: true });
  scores = b.op('mul', [scores, b.constant(1 / Math.sqrt(o.headDim))]);
  if (o.scoreBias !== undefined) scores = b.op('add', [scores, o.scoreBias(q)]);
  if (o.mask !== undefined) scores = b.op('add', [scores, o.mask]);
  const probs = b.op('softmax', [scores], { axis: -1 });
  const context = b.op('matmul', [probs, v], { transposeA: false, transposeB: false });
  return mergeHeads(b, context, o.heads, o.headDim);
}

export interface SeparateAttentionNames {
  readonly q: string;
  readonly k: string;
  readonly v: string;
  readonly o: string;
}

/** Attention with separate `nn.Linear` q/k/v/o projections; `biases` says which have a bias. */
export function separateAttention(
  b: GraphBuilder,
  x: ValueId,
  hidden: number,
  o: AttentionOptions,
  names: SeparateAttentionNames,
  biases: { readonly q: boolean; readonly k: boolean; readonly v: boolean; readonly o: boolean },
): ValueId {
  const kvWidth = o.kvHeads * o.headDim;
  const q = linear(b, x, names.q, hidden, o.heads * o.headDim, biases.q);
  const k = linear(b, x, names.k, hidden, kvWidth, biases.k);
  const v = linear(b, x, names.v, hidden, kvWidth, biases.v);
  const context = attentionCore(b, { q, k, v }, o);
  return linear(b, context, names.o, o.heads * o.headDim, hidden, biases.o);
}

/** `fc1 → act → fc2` with `nn.Linear` layers. */
export function geluMlp(b: GraphBuilder, x: ValueId, width: number, inner: number, fn: ActivationFn, bias: boolean, names: { fc1: string; fc2: string }): ValueId {
  const h = act(b, linear(b, x, names.fc1, width, inner, bias), fn);
  return linear(b, h, names.fc2, inner, width, bias);
}

/** Residual connection. */
export function residual(b: GraphBuilder, x: ValueId, y: ValueId): ValueId {
  return b.op('add', [x, y]);
}

/** A float input's dims, for declaring reshapes. */
export function floatType(b: GraphBuilder, shape: readonly Dim[]): { shape: readonly Dim[]; dtype: GraphBuilder['floatType'] } {
  return { shape, dtype: b.floatType };
}
