/**
 * Memory: weight bytes by dtype, the decoder's KV cache, and the peak of live activations in an
 * inference forward without fused attention. Formulas (elements; times batch and bytes per value):
 *
 *   weights      = params x bytes(dtype)
 *   kv cache     = 2 (k and v) x layers x kv_heads x head_dim x S
 *   decoder peak = max(attention, mlp, logits) where, with h = hidden, S = sequence length,
 *     attention  = 2 S h (residual + normed input) + S (h + 2 kv_heads head_dim) (q, k, v)
 *                  + heads S^2 (scores) + S h (attention output)
 *     mlp        = 2 S h + S ffn x (3 for SwiGLU: gate, up, product; 2 for a GELU MLP)
 *     logits     = S h + S vocab
 *   encoder peak = the same attention and mlp terms with S = positions per frame, times frames
 *   activations  = max(decoder peak, largest encoder peak + all sense embeddings (tokens x h))
 */
import type { CheckedModel, DType, Sense } from '../model/types.js';
import type { MemoryReport, WeightBytes } from './types.js';
import { mul } from './tree.js';

export const bytesPerValue: Readonly<Record<DType | 'int8', number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int8: 1,
};

/** Elements live in one pre-LN block over `frames` sequences of `tokens` positions (the larger of its two halves). */
function blockPeak(frames: number, tokens: number, width: number, heads: number, kvWidth: number, ffn: number, mlpMatrices: number): bigint {
  const rows = frames * tokens;
  const attention = mul(2, rows, width) + mul(rows, width + 2 * kvWidth) + mul(frames, heads, tokens, tokens) + mul(rows, width);
  const mlp = mul(2, rows, width) + mul(rows, ffn, mlpMatrices);
  return attention > mlp ? attention : mlp;
}

/** Positions per frame and frames an encoder runs on (as in `flops.ts`). */
function encoderShape(s: Sense): { frames: number; tokens: number } {
  const e = s.encoder;
  if (e.family === 'whisper' || e.family === 'beats') return { frames: 1, tokens: s.tokens };
  const input = s.input;
  const size = input.kind === 'audio' ? e.imageSize : input.size;
  const side = Math.floor(size / e.patch);
  return { frames: input.kind === 'video' ? input.frames : 1, tokens: side * side + (e.classToken ? 1 : 0) };
}

function encoderPeak(s: Sense): bigint {
  const e = s.encoder;
  const { frames, tokens } = encoderShape(s);
  return blockPeak(frames, tokens, e.hidden, e.heads, e.hidden, e.ffn, 2);
}

export function weightBytes(params: bigint): WeightBytes {
  return {
    float32: params * BigInt(bytesPerValue.float32),
    float16: params * BigInt(bytesPerValue.float16),
    bfloat16: params * BigInt(bytesPerValue.bfloat16),
    int8: params * BigInt(bytesPerValue.int8),
  };
}

export function estimateMemory(model: CheckedModel, params: bigint, batch: number, sequenceLength: number): MemoryReport {
  const d = model.decoder;
  const bytes = BigInt(bytesPerValue[model.dtype]);
  const b = BigInt(batch);
  const S = sequenceLength;
  const kvWidth = d.kvHeads * d.headDim;

  const kvCache = mul(2, d.layers, kvWidth, S) * b * bytes;

  const decoderBlock = blockPeak(1, S, d.hidden, d.heads, kvWidth, d.ffn, d.mlp === 'swiglu' ? 3 : 2);
  const logits = mul(S, d.hidden) + mul(S, d.vocabTotal);
  const decoderPeak = decoderBlock > logits ? decoderBlock : logits;
  let encoders = 0n;
  for (const sense of model.senses) {
    const peak = encoderPeak(sense);
    if (peak > encoders) encoders = peak;
  }
  let embeddings = 0n;
  for (const sense of model.senses) embeddings += mul(sense.tokens, d.hidden);
  const encoderStage = encoders + embeddings;
  const peak = decoderPeak > encoderStage ? decoderPeak : encoderStage;
  const activations = peak * b * bytes;

  const weightsByDtype = weightBytes(params);
  const weights = weightsByDtype[model.dtype];
  return {
    dtype: model.dtype,
    batch,
    sequenceLength,
    weights,
    weightsByDtype,
    kvCache,
    activations,
    total: weights + kvCache + activations,
  };
}
