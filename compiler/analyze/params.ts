/**
 * Exact parameter counts, module by module, as the reference implementations store them
 * (Hugging Face `transformers` for GPT-2, LLaMA, CLIP, SigLIP and Whisper; microsoft/unilm
 * `beats/` for BEATs). A count is what `sum(p.numel() for p in module.parameters())` gives: every
 * stored weight, whether or not the forward pass reaches it (layers after `select_layer`, CLIP's
 * `post_layernorm` under LLaVA), and shared tensors once. Buffers (`position_ids`) are not
 * parameters. README.md lists the layouts.
 */
import type {
  BeatsEncoder,
  CheckedModel,
  DecoderConfig,
  Norm,
  Projector,
  Sense,
  VitEncoder,
  WhisperEncoder,
} from '../model/types.js';
import type { ParamNode } from './types.js';
import { mul, paramGroup, paramLeaf } from './tree.js';

/** Weight and optional bias of a linear layer `inputs -> outputs`. */
function linear(inputs: number, outputs: number, bias: boolean): bigint {
  return mul(inputs, outputs) + (bias ? BigInt(outputs) : 0n);
}

/** LayerNorm stores a scale and a shift; RMSNorm only a scale. */
function normParams(norm: Norm['kind'], width: number): bigint {
  return norm === 'layernorm' ? mul(2, width) : BigInt(width);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// ---- decoder ------------------------------------------------------------------------------------

function decoderParams(d: DecoderConfig): ParamNode {
  const train = !d.frozen;
  const kvWidth = d.kvHeads * d.headDim;
  const added = d.vocabTotal - d.vocab;

  const embeddings: ParamNode[] = [
    paramLeaf(
      'tokens',
      mul(d.vocabTotal, d.hidden),
      train,
      added > 0
        ? `(${d.vocab} + ${added} added) x ${d.hidden}`
        : `${d.vocabTotal} x ${d.hidden}`,
    ),
  ];
  if (d.position.kind === 'learned') {
    embeddings.push(paramLeaf('positions', mul(d.context, d.hidden), train, `${d.context} x ${d.hidden} learned`));
  }

  const attention =
    linear(d.hidden, d.hidden, d.attentionBias) * 2n + // q, o
    linear(d.hidden, kvWidth, d.attentionBias) * 2n; // k, v (grouped-query width)
  const mlp =
    d.mlp === 'swiglu'
      ? linear(d.hidden, d.ffn, d.mlpBias) * 2n + linear(d.ffn, d.hidden, d.mlpBias) // gate, up, down
      : linear(d.hidden, d.ffn, d.mlpBias) + linear(d.ffn, d.hidden, d.mlpBias); // fc, proj
  const norms = normParams(d.norm.kind, d.hidden) * 2n;
  const layers = BigInt(d.layers);
  const biasNote = (on: boolean): string => (on ? ' + biases' : '');
  const kvNote = d.kvHeads === d.heads ? '' : ` (k, v: ${d.kvHeads} kv heads x ${d.headDim})`;

  const children: ParamNode[] = [
    paramGroup('embeddings', 'token table' + (d.position.kind === 'learned' ? ' and learned positions' : ''), embeddings),
    paramGroup(`layers`, plural(d.layers, 'layer'), [
      paramLeaf('attention', attention * layers, train, `q, k, v, o${kvNote}${biasNote(d.attentionBias)}, x ${d.layers}`),
      paramLeaf(
        'mlp',
        mlp * layers,
        train,
        (d.mlp === 'swiglu' ? `gate, up ${d.hidden}->${d.ffn}, down` : `fc ${d.hidden}->${d.ffn}, proj`) +
          `${biasNote(d.mlpBias)}, x ${d.layers}`,
      ),
      paramLeaf('norms', norms * layers, train, `2 ${d.norm.kind} per layer, x ${d.layers}`),
    ]),
    paramLeaf('final_norm', normParams(d.norm.kind, d.hidden), train, d.norm.kind),
    d.tiedEmbeddings
      ? paramLeaf('head', 0n, train, 'tied to embeddings.tokens')
      : paramLeaf('head', mul(d.vocabTotal, d.hidden), train, `${d.hidden} -> ${d.vocabTotal}, no bias`),
  ];
  return paramGroup('decoder', `${d.family}${d.preset === undefined ? '' : ` (${d.preset})`}`, children);
}

// ---- encoders -----------------------------------------------------------------------------------

/** Attention, MLP and the two LayerNorms of a pre-LN encoder block, times `layers`. */
function encoderBlocks(
  layers: number,
  width: number,
  ffn: number,
  train: boolean,
  attention: bigint,
  attentionNote: string,
  extra: readonly ParamNode[] = [],
): ParamNode {
  const n = BigInt(layers);
  return paramGroup('layers', plural(layers, 'layer') + ' (all stored, whether or not they run)', [
    paramLeaf('attention', attention * n, train, `${attentionNote}, x ${layers}`),
    paramLeaf('mlp', (linear(width, ffn, true) + linear(ffn, width, true)) * n, train, `fc1 ${width}->${ffn}, fc2 + biases, x ${layers}`),
    paramLeaf('norms', mul(4, width) * n, train, `2 layernorm per layer, x ${layers}`),
    ...extra,
  ]);
}

function vitParams(e: VitEncoder): ParamNode {
  const train = !e.frozen;
  const side = Math.floor(e.imageSize / e.patch);
  const patches = side * side;
  const positions = patches + (e.classToken ? 1 : 0);
  // CLIP's patch conv has no bias; SigLIP's has one.
  const patchBias = e.family === 'siglip_vit';
  const embeddings: ParamNode[] = [
    paramLeaf(
      'patch',
      mul(e.channels, e.patch, e.patch, e.hidden) + (patchBias ? BigInt(e.hidden) : 0n),
      train,
      `conv ${e.channels}x${e.patch}x${e.patch} -> ${e.hidden}${patchBias ? ' + bias' : ', no bias'}`,
    ),
  ];
  if (e.classToken) embeddings.push(paramLeaf('class', BigInt(e.hidden), train, 'class embedding'));
  embeddings.push(
    paramLeaf(
      'positions',
      mul(positions, e.hidden),
      train,
      `(${side}x${side} patches${e.classToken ? ' + class' : ''}) x ${e.hidden}`,
    ),
  );
  const children: ParamNode[] = [paramGroup('embeddings', `image ${e.imageSize}, patch ${e.patch}`, embeddings)];
  if (e.preNorm) children.push(paramLeaf('pre_norm', mul(2, e.hidden), train, 'pre_layrnorm'));
  children.push(
    encoderBlocks(e.layers, e.hidden, e.ffn, train, linear(e.hidden, e.hidden, true) * 4n, 'q, k, v, out + biases'),
    paramLeaf('post_norm', mul(2, e.hidden), train, 'post_layernorm'),
  );
  return paramGroup('encoder', `${e.family}${e.preset === undefined ? '' : ` (${e.preset})`}`, children);
}

function whisperParams(e: WhisperEncoder): ParamNode {
  const train = !e.frozen;
  const children: ParamNode[] = [
    paramLeaf('conv1', linear(e.melBins * 3, e.hidden, true), train, `conv1d ${e.melBins}->${e.hidden}, kernel 3, + bias`),
    paramLeaf('conv2', linear(e.hidden * 3, e.hidden, true), train, `conv1d ${e.hidden}->${e.hidden}, kernel 3, stride 2, + bias`),
    // Hugging Face stores the sinusoidal table as an embedding with requires_grad False.
    paramLeaf('positions', mul(e.positions, e.hidden), false, `sinusoidal ${e.positions} x ${e.hidden}, stored, never trained`),
    encoderBlocks(
      e.layers,
      e.hidden,
      e.ffn,
      train,
      linear(e.hidden, e.hidden, true) * 3n + linear(e.hidden, e.hidden, false),
      'q, v, out + biases, k without bias',
    ),
    paramLeaf('final_norm', mul(2, e.hidden), train, 'layer_norm'),
  ];
  return paramGroup('encoder', `whisper${e.preset === undefined ? '' : ` (${e.preset})`}`, children);
}

function beatsParams(e: BeatsEncoder): ParamNode {
  const train = !e.frozen;
  const headDim = e.hidden / e.heads;
  const relPos = e.relPosBuckets > 0;
  const children: ParamNode[] = [
    paramLeaf('patch', mul(e.patch, e.patch, e.embedDim), train, `conv 1x${e.patch}x${e.patch} -> ${e.embedDim}, no bias`),
    paramLeaf('patch_norm', mul(2, e.embedDim), train, `layer_norm over ${e.embedDim}`),
  ];
  if (e.embedDim !== e.hidden) {
    children.push(paramLeaf('post_extract_proj', linear(e.embedDim, e.hidden, true), train, `${e.embedDim} -> ${e.hidden} + bias`));
  }
  children.push(
    paramLeaf(
      'pos_conv',
      // Each group sees hidden / groups input channels (PyTorch requires the groups to divide it).
      mul(e.hidden, Math.floor(e.hidden / e.convPosGroups), e.convPosKernel) + BigInt(e.convPosKernel) + BigInt(e.hidden),
      train,
      `conv1d kernel ${e.convPosKernel}, ${e.convPosGroups} groups, weight norm (v + g over the kernel axis) + bias`,
    ),
    paramLeaf('encoder_norm', mul(2, e.hidden), train, 'encoder layer_norm'),
  );
  // Gated relative positions: each layer's grep_linear (head_dim -> 8, + bias) and grep_a (one per head).
  const gate = relPos
    ? [paramLeaf('rel_pos_gate', (linear(headDim, 8, true) + BigInt(e.heads)) * BigInt(e.layers), train, `grep_linear ${headDim}->8 + bias, grep_a ${e.heads}, x ${e.layers}`)]
    : [];
  children.push(encoderBlocks(e.layers, e.hidden, e.ffn, train, linear(e.hidden, e.hidden, true) * 4n, 'q, k, v, out + biases', gate));
  if (relPos) {
    children.push(
      paramLeaf('rel_pos_bias', mul(e.relPosBuckets, e.heads), train, `${e.relPosBuckets} buckets x ${e.heads} heads, shared by all layers`),
    );
  }
  return paramGroup('encoder', `beats${e.preset === undefined ? '' : ` (${e.preset})`}`, children);
}

// ---- projectors ---------------------------------------------------------------------------------

/** The linear layers of a projector, in order: widths `[in, hidden..., out]`. */
export function projectorWidths(p: Projector): readonly number[] {
  if (p.kind === 'affine') return [p.inputWidth, p.outputWidth];
  const widths = [p.inputWidth];
  for (let i = 1; i < p.depth; i += 1) widths.push(p.hiddenWidth);
  widths.push(p.outputWidth);
  return widths;
}

function projectorParams(p: Projector): ParamNode {
  const widths = projectorWidths(p);
  let total = 0n;
  for (let i = 0; i + 1 < widths.length; i += 1) total += linear(widths[i], widths[i + 1], p.bias);
  const note =
    p.kind === 'affine'
      ? `affine ${widths.join(' -> ')}${p.bias ? ' + bias' : ''}`
      : `mlp depth ${p.depth}: ${widths.join(' -> ')}${p.bias ? ' + biases' : ''}`;
  return paramLeaf('projector', total, !p.frozen, note);
}

function senseParams(s: Sense): ParamNode {
  const e = s.encoder;
  const encoder = e.family === 'whisper' ? whisperParams(e) : e.family === 'beats' ? beatsParams(e) : vitParams(e);
  return paramGroup(s.name, `sense ${s.name}`, [encoder, projectorParams(s.projector)]);
}

/** The whole model's parameter tree: `decoder`, then one node per sense in declaration order. */
export function countParams(model: CheckedModel): ParamNode {
  return paramGroup('params', model.id, [decoderParams(model.decoder), ...model.senses.map(senseParams)]);
}
