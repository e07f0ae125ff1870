/**
 * Forward FLOPs of one sample, module by module. Counted: every matmul as 2*m*n*k (a multiply
 * and an add per term), including attention's scores (Q K^T) and weighted sums (P V) over the
 * full, unmasked square of positions, convolutions as the matmuls they are (im2col), and the
 * logits of every position. Not counted: norms, activations, softmax, bias adds, residual adds,
 * rotary embeddings, pooling and embedding lookups (together well under 1% for these models).
 * Encoder layers after `select_layer` do not run and are not counted.
 */
import type { BeatsEncoder, CheckedModel, DecoderConfig, Sense, VitEncoder, WhisperEncoder } from '../model/types.js';
import type { FlopNode } from './types.js';
import { flopGroup, flopLeaf, matmulFlops, mul } from './tree.js';
import { projectorWidths } from './params.js';

/** The matmuls of `layers` pre-LN transformer blocks over `tokens` positions (`batch` independent sequences). */
function blockFlops(
  batch: number,
  tokens: number,
  width: number,
  heads: number,
  kvWidth: number,
  ffn: number,
  mlpMatrices: 2 | 3,
  layers: number,
  layerNote: string,
  extra: readonly FlopNode[] = [],
): FlopNode {
  const rows = batch * tokens;
  const n = BigInt(layers);
  const headDim = width / heads;
  const projections = (matmulFlops(rows, width, width) * 2n + matmulFlops(rows, kvWidth, width) * 2n) * n;
  // Q K^T and P V per head: two (tokens x tokens x headDim) products.
  const scores = matmulFlops(tokens, tokens, headDim) * 2n * mul(batch, heads) * n;
  const mlp = matmulFlops(rows, ffn, width) * BigInt(mlpMatrices) * n;
  return flopGroup('layers', layerNote, [
    flopLeaf('attention', projections, `q, k, v, o over ${rows} positions, x ${layers}`),
    flopLeaf('attention_scores', scores, `QK^T and PV, ${heads} heads x ${tokens}^2 x ${headDim}${batch > 1 ? ` x ${batch} frames` : ''}, x ${layers}`),
    flopLeaf('mlp', mlp, `${mlpMatrices} matrices ${width}<->${ffn} over ${rows} positions, x ${layers}`),
    ...extra,
  ]);
}

function decoderFlops(d: DecoderConfig, sequence: number): FlopNode {
  const kvWidth = d.kvHeads * d.headDim;
  return flopGroup('decoder', `${sequence} positions`, [
    blockFlops(1, sequence, d.hidden, d.heads, kvWidth, d.ffn, d.mlp === 'swiglu' ? 3 : 2, d.layers, `${d.layers} layers`),
    flopLeaf('head', matmulFlops(sequence, d.vocabTotal, d.hidden), `logits ${d.hidden} -> ${d.vocabTotal} at all ${sequence} positions`),
  ]);
}

function vitFlops(e: VitEncoder, s: Sense): FlopNode {
  const input = s.input;
  const frames = input.kind === 'video' ? input.frames : 1;
  const size = input.kind === 'audio' ? e.imageSize : input.size;
  const side = Math.floor(size / e.patch);
  const patches = side * side;
  const tokens = patches + (e.classToken ? 1 : 0);
  const channels = input.kind === 'audio' ? e.channels : input.channels;
  return flopGroup('encoder', `${frames} frame${frames === 1 ? '' : 's'} x ${tokens} positions`, [
    flopLeaf('embeddings', matmulFlops(frames * patches, e.hidden, channels * e.patch * e.patch), `patch conv over ${frames} x ${patches} patches`),
    blockFlops(
      frames,
      tokens,
      e.hidden,
      e.heads,
      e.hidden,
      e.ffn,
      2,
      e.layersUsed,
      `${e.layersUsed} of ${e.layers} layers run (select_layer ${e.selectLayer})`,
    ),
  ]);
}

function whisperFlops(e: WhisperEncoder, s: Sense): FlopNode {
  // Log-mel frames of a centred STFT: 1 + floor(samples / hop), less the last one when it is
  // dropped as openai/whisper does; conv2 (stride 2) turns them into the sense's positions.
  const frames = s.tokens;
  const mel = s.input.kind === 'audio' ? Math.floor(s.input.samples / e.hopLength) + (e.dropLastFrame ? 0 : 1) : 2 * frames;
  return flopGroup('encoder', `${frames} positions`, [
    flopLeaf('conv1', matmulFlops(mel, e.hidden, e.melBins * 3), `${mel} mel frames, kernel 3`),
    flopLeaf('conv2', matmulFlops(frames, e.hidden, e.hidden * 3), `stride 2 -> ${frames} positions, kernel 3`),
    blockFlops(1, frames, e.hidden, e.heads, e.hidden, e.ffn, 2, e.layers, `${e.layers} layers`),
  ]);
}

function beatsFlops(e: BeatsEncoder, patches: number): FlopNode {
  const children: FlopNode[] = [flopLeaf('patch', matmulFlops(patches, e.embedDim, e.patch * e.patch), `${patches} patches of ${e.patch}x${e.patch}`)];
  if (e.embedDim !== e.hidden) {
    children.push(flopLeaf('post_extract_proj', matmulFlops(patches, e.hidden, e.embedDim), `${e.embedDim} -> ${e.hidden}`));
  }
  children.push(
    flopLeaf(
      'pos_conv',
      matmulFlops(patches, e.hidden, Math.floor(e.hidden / e.convPosGroups) * e.convPosKernel),
      `grouped conv1d, kernel ${e.convPosKernel}, ${e.convPosGroups} groups`,
    ),
  );
  const headDim = e.hidden / e.heads;
  const gate =
    e.relPosBuckets > 0
      ? [flopLeaf('rel_pos_gate', matmulFlops(patches * e.heads, 8, headDim) * BigInt(e.layers), `grep_linear ${headDim}->8 per head, x ${e.layers}`)]
      : [];
  children.push(blockFlops(1, patches, e.hidden, e.heads, e.hidden, e.ffn, 2, e.layers, `${e.layers} layers`, gate));
  return flopGroup('encoder', `${patches} positions`, children);
}

function senseFlops(s: Sense): FlopNode {
  const e = s.encoder;
  // Audio encoders write one embedding per encoder position, so the sense's tokens are their length.
  const encoder = e.family === 'whisper' ? whisperFlops(e, s) : e.family === 'beats' ? beatsFlops(e, s.tokens) : vitFlops(e, s);
  const widths = projectorWidths(s.projector);
  let projector = 0n;
  for (let i = 0; i + 1 < widths.length; i += 1) projector += matmulFlops(s.tokens, widths[i + 1], widths[i]);
  return flopGroup(s.name, `sense ${s.name}`, [
    encoder,
    flopLeaf('projector', projector, `${widths.join(' -> ')} over ${s.tokens} tokens`),
  ]);
}

/** The FLOP tree of one forward pass of one sample: `decoder`, then one node per sense. */
export function countFlops(model: CheckedModel, sequenceLength: number): FlopNode {
  return flopGroup('flops', model.id, [decoderFlops(model.decoder, sequenceLength), ...model.senses.map(senseFlops)]);
}
