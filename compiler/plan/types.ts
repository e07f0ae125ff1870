/**
 * The execution plan: the contract between the planner (this folder) and the plan executors
 * (generated WGSL on WebGPU, tfjs fused ops on other backends). Everything here is concrete: one
 * plan is for one model, one mode (prefill or one decode step) and one set of bindings.
 *
 * Reading a plan:
 * - `buffers` are the storage: activations and graph inputs/outputs live in ONE arena at byte
 *   `offset`; weights, load-time prepared tensors and KV caches are persistent and separate.
 * - `prepare` kernels run once after the weights are loaded (packing, weight norm, bias tables);
 *   their outputs are `prepared` buffers. `kernels` run in order, every forward.
 * - Every kernel operand is a `Operand`: a buffer read or written through a strided `view`. A
 *   kernel sees each operand with its logical `shape`; logical element `i` (row-major) lives at
 *   element `view.offset + Σ unravel(i, view.shape)[j] · view.strides[j]` of its buffer (the view's
 *   shape is a row-major refinement of the logical shape: same element count and order). Strides
 *   are in elements; 0 is a broadcast. Outputs are written through their views the same way.
 * - Kernel kinds are listed in `KernelKind`; each has its own params type below and a section in
 *   README.md giving its exact semantics.
 */
import type { ActivationFn, InputRole, IrDType, OpAttrs, OpKind, ZipPlaceholder } from '../ir/types.js';

/** Bumped on any change a plan reader must know about; the schema's `$id` carries it. */
export const PLAN_VERSION = 1;
export const PLAN_FORMAT = 'mimo-plan';

export type PlanMode = 'prefill' | 'decode';

/** Concrete sizes a plan was built for. */
export interface PlanBindings {
  readonly batch: number;
  /** Text tokens of the prompt (the `--seq` option). */
  readonly text: number;
  /** Prompt length after placeholder expansion: text + every sense's tokens (the IR's `seq`). */
  readonly seq: number;
  /** Decode only: cached positions before this step (= seq); the step attends over `past + 1` keys. 0 in prefill. */
  readonly past: number;
  /** Query positions per sample computed by this plan: seq in prefill, 1 in decode. */
  readonly queries: number;
}

// ---- views and operands --------------------------------------------------------------------------

export interface View {
  readonly shape: readonly number[];
  /** Elements, not bytes; 0 broadcasts. */
  readonly strides: readonly number[];
  /** Elements from the start of the buffer. */
  readonly offset: number;
}

export interface Operand {
  readonly buffer: number;
  /** The shape the kernel sees. */
  readonly shape: readonly number[];
  readonly view: View;
  /** What the operand is for (documentation; kernels address operands by index). */
  readonly role: string;
}

// ---- buffers -------------------------------------------------------------------------------------

export type BufferKind =
  /** A graph input the caller writes into the arena before the forward. */
  | 'input'
  /** A manifest weight, by checkpoint name (persistent, not in the arena). */
  | 'weight'
  /** Computed once at load time by a `prepare` kernel from weights (persistent). */
  | 'prepared'
  /** A scalar constant folded to a value (only operands of `op` kernels; never stored). */
  | 'constant'
  /** A decoder KV cache `[batch, kv_heads, past + 1, head_dim]` (persistent): rows `[0, past)` hold the cached keys or values, this step writes row `past`. */
  | 'kv_cache'
  /** An intermediate value in the arena. */
  | 'activation'
  /** A graph output in the arena (live until the end). */
  | 'output';

export interface PlanBuffer {
  readonly id: number;
  readonly name: string;
  readonly kind: BufferKind;
  readonly dtype: IrDType;
  readonly shape: readonly number[];
  /** Storage bytes: elements × dtype size. */
  readonly bytes: number;
  /** Byte offset in the arena (`input`, `activation`, `output` only). */
  readonly offset?: number;
  /** Kernel index range `[first, last]` during which the buffer holds a live value (arena buffers only; −1 = before the first kernel). */
  readonly live?: readonly [number, number];
  /** This buffer reuses the storage of that buffer in place (same offset), set by the memory planner. */
  readonly inPlaceOf?: number;
  /** `weight`: the manifest name. */
  readonly weight?: string;
  /** `input`: the graph input's role. */
  readonly role?: InputRole;
  /** `constant`: the value. */
  readonly value?: number;
  /** `kv_cache`: which layer and tensor. */
  readonly cache?: { readonly layer: number; readonly tensor: 'key' | 'value' };
}

// ---- programs: the elementwise language of fused epilogues and elementwise kernels -----------------

/**
 * One instruction of a straight-line elementwise program; instruction `i` defines register `i`,
 * the last register is the result. Evaluated per output element in float32.
 */
export type Instr =
  /** Operand `input` (an index into the kernel's `inputs`), read at the output element's index with NumPy broadcasting (right-aligned; size-1 axes read index 0). */
  | { readonly op: 'load'; readonly input: number }
  /** The kernel's own value at this element: a matmul/conv accumulator of packed part `part`, a reduction's result (`part` 0). */
  | { readonly op: 'acc'; readonly part: number }
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div'; readonly a: number; readonly b: number }
  | { readonly op: 'activation'; readonly fn: ActivationFn; readonly a: number };

export type Program = readonly Instr[];

// ---- kernels -------------------------------------------------------------------------------------

export type KernelKind = 'matmul' | 'conv' | 'attention' | 'norm' | 'elementwise' | 'reduce' | 'embed_zip' | 'op';

export type NormFn = 'layernorm' | 'rmsnorm';

/**
 * `matmul`: C = A·B over the last two axes (leading axes broadcast), with
 * - an optional norm `prologue` applied to each row of A (over K) before the product;
 * - B packed from several weights side by side along N (`parts`: column ranges of the packed N);
 * - one or more outputs, each `width` columns wide, whose value at (row, c) is its `program`
 *   evaluated with `acc(part)` = C[row, parts[part].start + c] and `load`s of extra operands
 *   indexed by the output's logical index [...batch, row, c];
 * - an optional `rope` per output, rotating each head of `headDim` columns (HF rotate-half) after
 *   the program, with the position of the row read from the `positions` operand `[...batch, rows]`.
 * Inputs: 0 = A, 1 = B, then `prologue` gamma/beta, `rope` positions and program loads (by index).
 */
export interface MatmulParams {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Product of the broadcast leading axes of the output. */
  readonly batch: number;
  readonly prologue: { readonly fn: NormFn; readonly eps: number; readonly gamma: number; readonly beta: number | null } | null;
  readonly parts: readonly { readonly name: string; readonly start: number; readonly end: number }[];
  readonly outputs: readonly MatmulOutput[];
}

export interface MatmulOutput {
  readonly width: number;
  readonly program: Program;
  readonly rope: { readonly positions: number; readonly theta: number; readonly rotaryDim: number; readonly headDim: number } | null;
}

/** `conv`: conv1d/conv2d in NC(H)W (PyTorch), zero padding, then the epilogue `program` (`acc(0)` = the convolution incl. bias). Inputs: 0 = x, 1 = w, 2 = bias (when `bias`), then loads. */
export interface ConvParams {
  readonly dims: 1 | 2;
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly groups: number;
  readonly bias: boolean;
  readonly program: Program;
}

/**
 * `attention`: flash-style scaled dot-product attention in one kernel. For each (b, h, i):
 *   s_j = (q[b,h,i,:]·k[b,h/group,j,:])·scale + bias[b,h,i,j] + mask(b,i,j),
 *   out[b,h,i,:] = Σ_j softmax(s)_j · v[b,h/group,j,:],
 * where mask = 0 when j ≤ i + queryOffset and attention_mask[b,j] ≠ 0, else `negative` (only when
 * `causal` is set). Keys are visited in blocks of `blockSize` with an online softmax (running max
 * and sum, rescaled accumulator); blocks wholly above the causal diagonal are skipped for query
 * rows that see at least one key (their terms are exactly 0 in float32), never for rows that see none.
 * Inputs: 0 = q [b, hq, sq, d], 1 = k [b, hkv, sk, d], 2 = v [b, hkv, sk, dv], then `bias` and `attentionMask` when present.
 */
export interface AttentionParams {
  readonly batch: number;
  readonly heads: number;
  readonly kvHeads: number;
  /** heads / kvHeads: query head h reads key/value head ⌊h / group⌋ (GQA). */
  readonly group: number;
  readonly queries: number;
  readonly keys: number;
  readonly headDim: number;
  readonly valueDim: number;
  readonly scale: number;
  readonly blockSize: number;
  /** Operand index of an additive score bias broadcastable to [b, hq, sq, sk], or null. */
  readonly bias: number | null;
  readonly causal: { readonly attentionMask: number; readonly negative: number; readonly queryOffset: number } | null;
}

/**
 * `norm`: per row of the last axis, x = `prologue` (a program over the loads, e.g. a residual add)
 * then LayerNorm ((x − mean)/sqrt(var + eps)·gamma + beta) or RMSNorm (x/sqrt(mean(x²) + eps)·gamma).
 * Outputs: 0 = normed, 1 = x itself when `writeSum` (the residual stream others read).
 * Inputs: the prologue's loads, then gamma (`gamma`), then beta (`beta`).
 */
export interface NormParams {
  readonly fn: NormFn;
  readonly eps: number;
  readonly rows: number;
  readonly width: number;
  readonly prologue: Program;
  readonly gamma: number;
  readonly beta: number | null;
  readonly writeSum: boolean;
}

/** `elementwise`: output[i] = program at i, operands broadcast to the output shape. */
export interface ElementwiseParams {
  readonly program: Program;
}

/** `reduce`: sum over `axes` (ascending), then the epilogue `program` (`acc(0)` = the sum) on each result element. Input 0 is reduced; loads index further inputs by the result's index. */
export interface ReduceParams {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
  readonly program: Program;
}

/**
 * `embed_zip`: the embedding lookup and the zipper as one scatter. Row p of sample b is row n of
 * sense k's embeddings when ids[b,p] is sense k's placeholder and p is its n-th occurrence in the
 * sample, else table[ids[b,p]]. Inputs: 0 = table [V, H], 1 = ids [b, s], then each sense [b, tokens_k, H].
 */
export interface EmbedZipParams {
  readonly placeholders: readonly ZipPlaceholder[];
}

/** `op`: one IR op run as is (an op no pass fused), with the IR's attributes. Inputs are the op's operands. */
export interface OpParams {
  readonly op: OpKind;
  readonly attrs: OpAttrs[OpKind];
}

export interface KernelParamsByKind {
  readonly matmul: MatmulParams;
  readonly conv: ConvParams;
  readonly attention: AttentionParams;
  readonly norm: NormParams;
  readonly elementwise: ElementwiseParams;
  readonly reduce: ReduceParams;
  readonly embed_zip: EmbedZipParams;
  readonly op: OpParams;
}

/** Kernel classes the cost model totals by. */
export type KernelClass = 'matmul' | 'attention' | 'conv' | 'norm' | 'elementwise' | 'reduction' | 'data_movement';

export interface KernelCost {
  readonly flops: number;
  /** Compulsory traffic: each distinct element of every operand once, plus the outputs. */
  readonly bytes: number;
  /** Roofline time on the plan's target, launch overhead included. */
  readonly ms: number;
  readonly bound: 'compute' | 'memory' | 'launch';
}

export interface PlanKernelOf<K extends KernelKind> {
  /** Position in `kernels` (or in `prepare`). */
  readonly id: number;
  readonly kind: K;
  readonly class: KernelClass;
  /** What it computes, e.g. `matmul+rmsnorm+rope [q|k|v]`. */
  readonly label: string;
  /** Hugging Face module path of the fused ops' common scope. */
  readonly scope: string;
  readonly inputs: readonly Operand[];
  readonly outputs: readonly Operand[];
  readonly params: KernelParamsByKind[K];
  /** IR node ids this kernel computes. */
  readonly ir: readonly number[];
  readonly cost: KernelCost;
}

export type PlanKernel = { [K in KernelKind]: PlanKernelOf<K> }[KernelKind];

// ---- the plan ------------------------------------------------------------------------------------

export interface MemorySummary {
  /** Bytes every arena buffer placement needs (offsets, 256-byte aligned). */
  readonly arenaBytes: number;
  /** Sum of every arena buffer without reuse. */
  readonly naiveBytes: number;
  /** Largest total of buffers live at one kernel (after in-place sharing): no placement can beat it. */
  readonly lowerBoundBytes: number;
  readonly alignment: number;
  /** Buffers that reuse a dead input's storage. */
  readonly inPlace: number;
  readonly weightBytes: number;
  readonly preparedBytes: number;
  readonly kvCacheBytes: number;
}

export interface ClassTotals {
  readonly kernels: number;
  readonly flops: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface CostSummary {
  readonly target: string;
  readonly device: string;
  readonly totalMs: number;
  readonly unfusedMs: number;
  readonly byClass: Readonly<Record<KernelClass, ClassTotals>>;
}

export interface PlanSummary {
  readonly ops_unfused: number;
  readonly kernels: number;
  readonly prepare_kernels: number;
  readonly bytes_unfused: number;
  readonly bytes_fused: number;
  readonly flops: number;
  readonly arena_bytes: number;
  readonly naive_bytes: number;
  readonly lower_bound_bytes: number;
  readonly weight_bytes: number;
  readonly kv_cache_bytes: number;
  readonly estimated_ms: number;
  readonly unfused_estimated_ms: number;
}

export interface PassRecord {
  readonly pass: string;
  readonly kernelsBefore: number;
  readonly kernelsAfter: number;
}

export interface PlanOutput {
  readonly name: string;
  readonly operand: Operand;
}

export interface PlanInput {
  readonly name: string;
  readonly role: InputRole | 'past_key' | 'past_value';
  readonly operand: Operand;
}

export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  readonly model: string;
  readonly mode: PlanMode;
  readonly dtype: IrDType;
  readonly bindings: PlanBindings;
  readonly target: string;
  readonly passes: readonly PassRecord[];
  readonly buffers: readonly PlanBuffer[];
  readonly inputs: readonly PlanInput[];
  readonly outputs: readonly PlanOutput[];
  readonly prepare: readonly PlanKernel[];
  readonly kernels: readonly PlanKernel[];
  readonly memory: MemorySummary;
  readonly cost: CostSummary;
  readonly summary: PlanSummary;
}
