import { tf } from '../backend/tf.js';
import { matMul2d } from './linear.js';

/**
 * The additive value for masked scores. Finite (not -Infinity) so a row with every key masked
 * gives a uniform softmax, never NaN — HF's eager attention behaves the same with float32's lowest
 * number. We use -1e30 rather than that lowest number because tfjs-webgpu's softmax returns NaN
 * on a row made only of -3.4028235e38; exp(-1e30 - s) is exactly 0 in float32 all the same.
 */
export const MASK_VALUE = -1e30;

export type AttentionLowering = 'perHead' | 'batched' | 'auto';

export interface AttentionOptions {
  readonly heads: number;
  /** Key/value heads; `heads % kvHeads === 0`. Query head h reads kv head ⌊h / (heads/kvHeads)⌋ (HF `repeat_kv`). */
  readonly kvHeads: number;
  readonly headDim: number;
  readonly causal: boolean;
  /** Multiplies the scores; default `1/sqrt(headDim)`. */
  readonly scale?: number;
  /** HF attention mask `[B, keyLength]`: 1 attend, 0 padding. */
  readonly attentionMask?: tf.Tensor2D;
  /** Additive score bias `[B, heads, Tq, Tk]` (BEATs' gated relative positions). */
  readonly bias?: tf.Tensor4D;
  /**
   * `perHead`: one unbatched, untransposed 2-D matmul per (batch, head) with the transposes done
   * explicitly once — tfjs-wasm runs only those on XNNPACK. `batched`: 4-D `matMul` with
   * `transposeB` (one dispatch; what GPU backends prefer). `auto` (default): perHead on wasm.
   */
  readonly lowering?: AttentionLowering;
}

/**
 * Additive mask `[B|1, Tq, Tk]` of 0 / MASK_VALUE, or null when nothing is masked. Causal with
 * Tq < Tk (a KV cache) puts query i at absolute position Tk - Tq + i.
 */
export function attentionMaskBias(
  batch: number,
  queryLength: number,
  keyLength: number,
  causal: boolean,
  attentionMask?: tf.Tensor2D,
): tf.Tensor3D | null {
  if (!causal && attentionMask === undefined) return null;
  return tf.tidy(() => {
    let bias: tf.Tensor3D | null = null;
    if (causal) {
      const values = new Float32Array(queryLength * keyLength);
      const offset = keyLength - queryLength;
      for (let i = 0; i < queryLength; i++) {
        for (let j = offset + i + 1; j < keyLength; j++) values[i * keyLength + j] = MASK_VALUE;
      }
      bias = tf.tensor3d(values, [1, queryLength, keyLength]);
    }
    if (attentionMask !== undefined) {
      const [maskBatch, maskLength] = attentionMask.shape;
      if (maskBatch !== batch || maskLength !== keyLength) {
        throw new Error(`attention: attentionMask has shape [${attentionMask.shape.join(', ')}] but the keys need [${batch}, ${keyLength}] (batch, key length including any cache)`);
      }
      const padded = tf.equal(tf.cast(attentionMask, 'float32'), 0);
      const padBias = tf.reshape(tf.where(padded, tf.fill([batch, keyLength], MASK_VALUE), tf.zeros([batch, keyLength])), [batch, 1, keyLength]);
      // minimum, not add: MASK_VALUE + MASK_VALUE would overflow to -Infinity.
      bias = bias === null ? (tf.tile(padBias, [1, queryLength, 1]) as tf.Tensor3D) : (tf.minimum(bias, padBias) as tf.Tensor3D);
    }
    return bias as tf.Tensor3D;
  });
}

function checkShapes(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: AttentionOptions): void {
  const { heads, kvHeads, headDim } = o;
  if (heads % kvHeads !== 0) throw new Error(`attention: heads (${heads}) must be a multiple of kvHeads (${kvHeads})`);
  if (q.shape[2] !== heads * headDim) throw new Error(`attention: query width ${q.shape[2]} ≠ heads·headDim = ${heads}·${headDim}`);
  if (k.shape[2] !== kvHeads * headDim || v.shape[2] !== kvHeads * headDim) {
    throw new Error(`attention: key/value widths ${k.shape[2]}/${v.shape[2]} ≠ kvHeads·headDim = ${kvHeads}·${headDim}`);
  }
  if (q.shape[0] !== k.shape[0] || k.shape[0] !== v.shape[0] || k.shape[1] !== v.shape[1]) {
    throw new Error(`attention: q [${q.shape.join(', ')}], k [${k.shape.join(', ')}], v [${v.shape.join(', ')}] disagree on batch or key length`);
  }
  if (o.bias !== undefined) {
    const want = [q.shape[0], heads, q.shape[1], k.shape[1]];
    if (o.bias.shape.some((d, i) => d !== want[i])) {
      throw new Error(`attention: bias has shape [${o.bias.shape.join(', ')}], expected [${want.join(', ')}]`);
    }
  }
}

function resolveLowering(lowering: AttentionLowering | undefined): 'perHead' | 'batched' {
  if (lowering === 'perHead' || lowering === 'batched') return lowering;
  return tf.getBackend() === 'wasm' ? 'perHead' : 'batched';
}

/**
 * Scaled dot-product attention over already-projected `q` `[B, Tq, heads·headDim]`, `k`/`v`
 * `[B, Tk, kvHeads·headDim]`; returns the merged heads `[B, Tq, heads·headDim]` (before the output
 * projection). softmax(q·kᵀ·scale + mask + bias)·v, per head, grouped-query aware.
 */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: AttentionOptions): tf.Tensor3D {
  checkShapes(q, k, v, o);
  return tf.tidy(() => {
    const [batch, queryLength] = q.shape;
    const keyLength = k.shape[1];
    const scale = o.scale ?? 1 / Math.sqrt(o.headDim);
    const mask = attentionMaskBias(batch, queryLength, keyLength, o.causal, o.attentionMask);
    const scaled = tf.mul(q, scale) as tf.Tensor3D;
    return resolveLowering(o.lowering) === 'perHead'
      ? perHeadAttention(scaled, k, v, mask, o)
      : batchedAttention(scaled, k, v, mask, o);
  });
}

/** [B, T, n·d] → [B·n, T, d] (heads become the leading axis, one explicit transpose). */
function splitHeads(x: tf.Tensor3D, n: number, d: number): tf.Tensor3D {
  const [batch, length] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, length, n, d]), [0, 2, 1, 3]), [batch * n, length, d]);
}

/** [B, T, n·d] → [B·n, d, T]: keys pre-transposed so every score product is a plain a·b. */
function splitHeadsTransposed(x: tf.Tensor3D, n: number, d: number): tf.Tensor3D {
  const [batch, length] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, length, n, d]), [0, 2, 3, 1]), [batch * n, d, length]);
}

function perHeadAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor3D | null, o: AttentionOptions): tf.Tensor3D {
  const { heads, kvHeads, headDim } = o;
  const batch = q.shape[0];
  const group = heads / kvHeads;
  const qs = tf.unstack(splitHeads(q, heads, headDim)) as tf.Tensor2D[];
  const kts = tf.unstack(splitHeadsTransposed(k, kvHeads, headDim)) as tf.Tensor2D[];
  const vs = tf.unstack(splitHeads(v, kvHeads, headDim)) as tf.Tensor2D[];
  const masks = mask === null ? null : (tf.unstack(mask) as tf.Tensor2D[]);
  const biases = o.bias === undefined ? null : (tf.unstack(tf.reshape(o.bias, [batch * heads, o.bias.shape[2], o.bias.shape[3]])) as tf.Tensor2D[]);
  const rows: tf.Tensor2D[] = [];
  for (let b = 0; b < batch; b++) {
    const headOutputs: tf.Tensor2D[] = [];
    const rowMask = masks === null ? null : masks[masks.length === 1 ? 0 : b];
    for (let h = 0; h < heads; h++) {
      const kv = b * kvHeads + Math.floor(h / group);
      let scores: tf.Tensor2D = matMul2d(qs[b * heads + h], kts[kv]);
      if (rowMask !== null) scores = tf.add(scores, rowMask);
      if (biases !== null) scores = tf.add(scores, biases[b * heads + h]);
      headOutputs.push(matMul2d(tf.softmax(scores) as tf.Tensor2D, vs[kv]));
    }
    rows.push(tf.concat(headOutputs, 1));
  }
  return tf.stack(rows) as tf.Tensor3D;
}

function batchedAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor3D | null, o: AttentionOptions): tf.Tensor3D {
  const { heads, kvHeads, headDim } = o;
  const [batch, queryLength] = q.shape;
  const keyLength = k.shape[1];
  const group = heads / kvHeads;
  const toHeads = (x: tf.Tensor3D, n: number, length: number): tf.Tensor4D =>
    tf.transpose(tf.reshape(x, [batch, length, n, headDim]), [0, 2, 1, 3]);
  // Rank-3 tile: tfjs-webgpu runs rank ≥ 5 tiles on the CPU with a synchronous read (fails in Node).
  const repeatKv = (x: tf.Tensor4D): tf.Tensor4D =>
    group === 1
      ? x
      : tf.reshape(tf.tile(tf.reshape(x, [batch * kvHeads, 1, keyLength * headDim]), [1, group, 1]), [batch, heads, keyLength, headDim]);
  const qh = toHeads(q, heads, queryLength);
  const kh = repeatKv(toHeads(k, kvHeads, keyLength));
  const vh = repeatKv(toHeads(v, kvHeads, keyLength));
  let scores: tf.Tensor4D = tf.matMul(qh, kh, false, true);
  if (mask !== null) scores = tf.add(scores, tf.reshape(mask, [mask.shape[0], 1, queryLength, keyLength]));
  if (o.bias !== undefined) scores = tf.add(scores, o.bias);
  const out: tf.Tensor4D = tf.matMul(tf.softmax(scores), vh);
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [batch, queryLength, heads * headDim]);
}
