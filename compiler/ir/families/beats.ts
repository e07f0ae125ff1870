/**
 * The BEATs audio encoder (microsoft/unilm `beats/`): a 16×16 patch conv over the fbank
 * (frames × mel bins), LayerNorm, projection to the model width, a weight-normalised grouped
 * convolution as relative positions (SamePad drops the extra frame of an even kernel), the
 * encoder LayerNorm, then post-LN layers with DeepNorm residual scaling (α = (2·layers)^¼) and
 * gated relative position bias: the bucketed bias of layer 0's table, scaled per query by
 * gates computed from that layer's queries (`grep_linear`, `grep_a`).
 */
import type { BeatsEncoder, Sense } from '../../model/types.js';
import type { ValueId } from '../builder.js';
import type { LowerContext } from './context.js';
import { NORMAL, ONES, ZEROS, act, floatType, geluMlp, layerNorm, linear, residual, separateAttention } from './layers.js';

/** Kaldi fbank frames of the sense's clip (`snip_edges`: whole windows only). */
export function beatsFbankFrames(sense: Sense, enc: BeatsEncoder): number {
  if (sense.input.kind !== 'audio') throw new Error(`sense \`${sense.name}\`: BEATs needs an audio input`);
  const window = Math.round((sense.input.sampleRate * enc.frameLengthMs) / 1000);
  const shift = Math.round((sense.input.sampleRate * enc.frameShiftMs) / 1000);
  return sense.input.samples < window ? 0 : Math.floor((sense.input.samples - window) / shift) + 1;
}

export function lowerBeats(ctx: LowerContext, _sense: Sense, enc: BeatsEncoder, fbank: ValueId): ValueId {
  const { b } = ctx;
  const D = enc.hidden;
  const E = enc.embedDim;
  const [batch, frames, mels] = b.shape(fbank);
  const gridT = Math.floor((Number(frames) - enc.patch) / enc.patch) + 1;
  const gridF = Math.floor((Number(mels) - enc.patch) / enc.patch) + 1;
  const n = gridT * gridF;

  let x = b.op('reshape', [fbank], {}, floatType(b, [batch, 1, frames, mels]));
  const patchW = b.within('patch_embedding', () => b.weight('weight', [E, 1, enc.patch, enc.patch], NORMAL));
  x = b.op('conv2d', [x, patchW], { stride: [enc.patch, enc.patch], padding: [0, 0], groups: 1 });
  x = b.op('reshape', [x], {}, floatType(b, [batch, E, n]));
  x = b.op('transpose', [x], { perm: [0, 2, 1] });
  x = layerNorm(b, x, 'layer_norm', E, enc.normEps);
  if (E !== D) x = linear(b, x, 'post_extract_proj', E, D, true);

  return b.within('encoder', () => {
    const k = enc.convPosKernel;
    const posConv = b.within('pos_conv.0', () => {
      const g = b.weight('weight_g', [1, 1, k], ONES);
      const v = b.weight('weight_v', [D, D / enc.convPosGroups, k], NORMAL);
      const bias = b.weight('bias', [D], ZEROS);
      const w = b.op('weight_norm', [g, v], { dim: 2 });
      let y = b.op('conv1d', [b.op('transpose', [x], { perm: [0, 2, 1] }), w, bias], { stride: 1, padding: Math.floor(k / 2), groups: enc.convPosGroups });
      if (k % 2 === 0) y = b.op('slice', [y], { axis: 2, start: 0, end: n });
      return b.op('transpose', [act(b, y, 'gelu')], { perm: [0, 2, 1] });
    });
    x = b.op('add', [x, posConv]);
    x = layerNorm(b, x, 'layer_norm', D, enc.normEps);

    const headDim = D / enc.heads;
    const alpha = b.constant(Math.pow(2 * enc.layers, 0.25));
    let positionBias: ValueId | undefined;
    for (let i = 0; i < enc.layers; i++) {
      b.within(`layers.${i}`, () => {
        const attn = b.within('self_attn', () => {
          if (enc.relPosBuckets > 0 && i === 0) positionBias = relativePositionBias(ctx, enc, n);
          const bias = positionBias;
          const scoreBias = bias === undefined ? undefined : (q: ValueId): ValueId => gatedBias(ctx, enc, q, bias);
          return separateAttention(b, x, D, { heads: enc.heads, kvHeads: enc.heads, headDim, scoreBias }, { q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'out_proj' }, { q: true, k: true, v: true, o: true });
        });
        x = layerNorm(b, residual(b, b.op('mul', [x, alpha]), attn), 'self_attn_layer_norm', D, enc.normEps);
        const h = geluMlp(b, x, D, enc.ffn, 'gelu', true, { fc1: 'fc1', fc2: 'fc2' });
        x = layerNorm(b, residual(b, b.op('mul', [x, alpha]), h), 'final_layer_norm', D, enc.normEps);
      });
    }
    return x;
  });
}

/** Layer 0's bucketed bias table as `[1, heads, n, n]`. */
function relativePositionBias(ctx: LowerContext, enc: BeatsEncoder, n: number): ValueId {
  const { b } = ctx;
  const table = b.within('relative_attention_bias', () => b.weight('weight', [enc.relPosBuckets, enc.heads], NORMAL));
  const buckets = b.op('rel_pos_buckets', [], { length: n, buckets: enc.relPosBuckets, maxDistance: enc.maxDistance });
  const bias = b.op('gather', [table, buckets]);
  const perHead = b.op('transpose', [bias], { perm: [2, 0, 1] });
  return b.op('reshape', [perHead], {}, floatType(b, [1, enc.heads, n, n]));
}

/**
 * BEATs' gate: from the unscaled queries `[batch, heads, n, headDim]`,
 * σ(sum over 4 of grep_linear(q) viewed as [.., 2, 4]) = (a, b); bias · (a·(b·grep_a − 1) + 2).
 */
function gatedBias(ctx: LowerContext, enc: BeatsEncoder, q: ValueId, bias: ValueId): ValueId {
  const { b } = ctx;
  const headDim = enc.hidden / enc.heads;
  const [batch, heads, n] = b.shape(q);
  const g = linear(b, q, 'grep_linear', headDim, 8, true);
  const g5 = b.op('reshape', [g], {}, floatType(b, [batch, heads, n, 2, 4]));
  const gates = act(b, b.op('reduce_sum', [g5], { axes: [4], keepDims: false }), 'sigmoid');
  const gateA = b.op('slice', [gates], { axis: 3, start: 0, end: 1 });
  const gateB = b.op('slice', [gates], { axis: 3, start: 1, end: 2 });
  const grepA = b.weight('grep_a', [1, enc.heads, 1, 1], ONES);
  const inner = b.op('sub', [b.op('mul', [gateB, grepA]), b.constant(1)]);
  const scale = b.op('add', [b.op('mul', [gateA, inner]), b.constant(2)]);
  return b.op('mul', [scale, bias]);
}
