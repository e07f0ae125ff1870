/**
 * `attention` kernels → per (sample, head) unbatched, untransposed products (`[1, m, k]·[1, k, n]`),
 * the form tfjs-wasm runs on XNNPACK (a batched or transposed product falls back to a slow loop):
 * q is scaled once, q and V are read head-major and K pre-transposed to `[b, kv, d, keys]` (each
 * transpose folded into the read of its view), unstacked per head, and each head computes
 * softmax(q·Kᵀ + bias + mask)·V. Grouped-query heads read
 * their key/value head directly (no repeat). The causal mask is built once per forward as an
 * additive bias and shared by every layer. The heads of a sample are concatenated token-major, and
 * the result is handed to the buffer table as a pending transpose of the plan's head-major output,
 * so an output projection reading it token-major costs no copy.
 */
import { tf } from '../../backend/tf.js';
import type { AttentionParams, PlanKernelOf } from '../types.js';
import type { KernelStep, LoadContext, RunContext } from './context.js';
import { matMul3d } from './direct.js';
import { causalBias } from './math.js';
import { squeezedLayout } from '../storage.js';

export function compileAttention(kernel: PlanKernelOf<'attention'>, load: LoadContext): KernelStep {
  const p = kernel.params;
  if (p.causal !== null) load.needsHost(p.causal.attentionMask);
  const { batch, heads, kvHeads, group, queries, keys, valueDim } = p;
  const biasShape = p.bias === null ? null : kernel.inputs[p.bias].shape;
  // The output is written token-major ([b, queries, heads, valueDim]); the plan's is head-major.
  const tokenMajorLayout = squeezedLayout([batch, queries, heads, valueDim], [0, 2, 1, 3]);
  return (ctx) => {
    const { q, kT, v } = headsOf(ctx, p);
    const causal = p.causal;
    const masks =
      causal === null
        ? null
        : ctx.memo(`causal:${ctx.operandKey(causal.attentionMask)}:${queries}:${keys}:${causal.queryOffset}:${causal.negative}`, () =>
            causalBias(ctx.hostInts(causal.attentionMask), batch, queries, keys, causal.queryOffset, causal.negative),
          );
    let biasAt: ((b: number, h: number) => tf.Tensor) | null = null;
    if (p.bias !== null && biasShape !== null) {
      // Broadcastable to [b, heads, queries, keys]: index size-1 axes at 0.
      const full = [batch, heads, queries, keys];
      const shape4 = [...new Array<number>(4 - biasShape.length).fill(1), ...biasShape];
      const x = tf.reshape(ctx.read(p.bias), shape4);
      const bs = shape4[0];
      const hs = shape4[1];
      const slices = tf.unstack(tf.reshape(x, [bs * hs, shape4[2], shape4[3]]));
      biasAt = (b, h) => slices[(bs === 1 ? 0 : b) * hs + (hs === 1 ? 0 : h)];
      if (shape4[2] !== full[2] || shape4[3] !== full[3]) {
        const inner = biasAt;
        biasAt = (b, h) => tf.broadcastTo(inner(b, h), [queries, keys]);
      }
    }
    const rows: tf.Tensor[] = [];
    for (let b = 0; b < batch; b++) {
      const outs: tf.Tensor[] = [];
      for (let h = 0; h < heads; h++) {
        const kv = b * kvHeads + Math.floor(h / group);
        // One head's scores at a time: they are freed before the next head's are made.
        outs.push(
          tf.tidy(() => {
            let scores: tf.Tensor = matMul3d(q[b * heads + h], kT[kv]);
            if (biasAt !== null) scores = tf.add(scores, biasAt(b, h));
            if (masks !== null) scores = tf.add(scores, masks[b]);
            return matMul3d(tf.softmax(scores), v[kv]);
          }),
        );
      }
      // [1, queries, heads·valueDim]: the heads side by side, token-major.
      rows.push(outs.length === 1 ? outs[0] : tf.concat(outs, 2));
    }
    const tokenMajor = rows.length === 1 ? rows[0] : tf.concat(rows, 0);
    // tokenMajor is [b, queries, heads, valueDim]; the plan's output is [b, heads, queries, valueDim].
    return [{ output: 0, tensor: tokenMajor, layout: tokenMajorLayout }];
  };
}

/** Per-head operands, each 3-D with a batch of one (direct.ts). */
interface Heads {
  /** Per (sample, head): the scaled queries `[1, queries, headDim]`. */
  readonly q: tf.Tensor[];
  /** Per (sample, kv head): keys transposed, `[1, headDim, keys]`. */
  readonly kT: tf.Tensor[];
  /** Per (sample, kv head): values `[1, keys, valueDim]`. */
  readonly v: tf.Tensor[];
}

/**
 * `[n, rows, cols]` → n tensors `[1, rows, cols]`: one `unstack` of the head-major tensor (reshaped
 * to `[n, 1, rows, cols]` so the pieces come out 3-D). On tfjs-wasm, slicing contiguous leading
 * rows is the cheap kind; strided splits along the last axis are copied element by element.
 */
function heads3d(x: tf.Tensor, n: number, rows: number, cols: number): tf.Tensor[] {
  const y = tf.reshape(x, [n, 1, rows, cols]);
  return n === 1 ? [tf.reshape(y, [1, rows, cols])] : tf.unstack(y);
}

/**
 * Head-major reads (q and v as the plan's `[b, h, s, d]`, K transposed to `[b, kv, d, keys]` —
 * the transposes folded into the reads) unstacked into per-(sample, head) operands.
 */
function headsOf(ctx: RunContext, p: AttentionParams): Heads {
  const { batch, heads, kvHeads, queries, keys, headDim, valueDim } = p;
  return {
    q: heads3d(tf.mul(ctx.read(0), tf.scalar(p.scale)), batch * heads, queries, headDim),
    kT: heads3d(ctx.read(1, [0, 1, 3, 2]), batch * kvHeads, headDim, keys),
    v: heads3d(ctx.read(2), batch * kvHeads, keys, valueDim),
  };
}
