/**
 * The Whisper encoder (Hugging Face `WhisperEncoder`, laid out as Qwen2-Audio's `audio_tower`):
 * conv1 (k3) → GELU → conv2 (k3, stride 2) → GELU, the sinusoidal position table (a stored
 * weight) cut to the frames present, pre-LN encoder layers (k_proj without bias), final LayerNorm.
 */
import type { Sense, WhisperEncoder } from '../../model/types.js';
import type { ValueId } from '../builder.js';
import type { LowerContext } from './context.js';
import { NORMAL, ZEROS, act, geluMlp, layerNorm, residual, separateAttention } from './layers.js';

/** Log-mel frames of the sense's clip: a centered STFT gives 1 + ⌊samples / hop⌋; openai/whisper drops the last. */
export function whisperMelFrames(sense: Sense, enc: WhisperEncoder): number {
  if (sense.input.kind !== 'audio') throw new Error(`sense \`${sense.name}\`: Whisper needs an audio input`);
  return Math.floor(sense.input.samples / enc.hopLength) + (enc.dropLastFrame ? 0 : 1);
}

/** Encoder frames after the stride-2 conv: ceil(mel frames / 2). */
export function whisperTokens(melFrames: number): number {
  return Math.floor((melFrames - 1) / 2) + 1;
}

export function lowerWhisper(ctx: LowerContext, _sense: Sense, enc: WhisperEncoder, features: ValueId): ValueId {
  const { b } = ctx;
  const D = enc.hidden;
  const conv = (local: string, input: ValueId, inC: number, stride: number): ValueId =>
    b.within(local, () => {
      const w = b.weight('weight', [D, inC, 3], NORMAL);
      const bias = b.weight('bias', [D], ZEROS);
      return act(b, b.op('conv1d', [input, w, bias], { stride, padding: 1, groups: 1 }), 'gelu');
    });
  let x = conv('conv1', features, enc.melBins, 1);
  x = conv('conv2', x, D, 2);
  x = b.op('transpose', [x], { perm: [0, 2, 1] });
  const frames = b.shape(x)[1] as number;
  let table = b.within('embed_positions', () => b.weight('weight', [enc.positions, D], NORMAL));
  if (frames < enc.positions) table = b.op('slice', [table], { axis: 0, start: 0, end: frames });
  x = b.op('add', [x, table]);

  const headDim = D / enc.heads;
  for (let i = 0; i < enc.layers; i++) {
    b.within(`layers.${i}`, () => {
      const normed = layerNorm(b, x, 'self_attn_layer_norm', D, enc.normEps);
      const attn = b.within('self_attn', () =>
        separateAttention(b, normed, D, { heads: enc.heads, kvHeads: enc.heads, headDim }, { q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'out_proj' }, { q: true, k: false, v: true, o: true }),
      );
      x = residual(b, x, attn);
      const h = layerNorm(b, x, 'final_layer_norm', D, enc.normEps);
      x = residual(b, x, geluMlp(b, h, D, enc.ffn, 'gelu', true, { fc1: 'fc1', fc2: 'fc2' }));
    });
  }
  return layerNorm(b, x, 'layer_norm', D, enc.normEps);
}
