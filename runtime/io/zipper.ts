/**
 * The zipper on TensorFlow.js: writes each sense's embeddings where its placeholders stand.
 *
 * The plan (which table row each output position takes) is built on the CPU by
 * `planZipper`; the device then does one concat of [text; sense₀; sense₁; …; zero row]
 * and one gather. See zipper-plan.ts for the conventions and layouts.
 */
import { tf } from '../backend/tf.js';
import { ZipperError } from './errors.js';
import { planZipper, type ZipperConvention, type ZipperLayout, type ZipperPlan } from './zipper-plan.js';

export interface ZipperSenseInput {
  readonly name: string;
  /** The placeholder's token id. */
  readonly tokenId: number;
  /** [items, N, hidden]: N embeddings per item. */
  readonly embeddings: tf.Tensor3D;
  readonly layout?: ZipperLayout;
  /** The placeholder's text (e.g. `<audio>`), used in messages. */
  readonly token?: string;
}

/** Text embeddings: a [vocab, hidden] table, or a function from int32 ids [T] to [T, hidden]. */
export type TextEmbedder = tf.Tensor2D | ((ids: tf.Tensor1D) => tf.Tensor2D);

export interface ZipperInputs {
  /** [batch, length] int32 tensor, or one id array per row (rows may differ in length). */
  readonly tokenIds: tf.Tensor2D | readonly ArrayLike<number>[];
  /** 1 = real token, 0 = padding; same layout as `tokenIds`. */
  readonly attentionMask?: tf.Tensor2D | readonly ArrayLike<number>[];
  readonly embed: TextEmbedder;
  readonly senses: readonly ZipperSenseInput[];
  readonly convention: ZipperConvention;
  /** Token id written at padding positions of the output `tokenIds` (default 0). */
  readonly padTokenId?: number;
}

export interface ZipperOutputs {
  /** [batch, L, hidden], right-padded with zeros. */
  readonly embeddings: tf.Tensor3D;
  /** [batch, L] int32, 1 = real, 0 = padding. */
  readonly attentionMask: tf.Tensor2D;
  /** [batch, L] int32, 0.. along each row; 0 at padding. */
  readonly positionIds: tf.Tensor2D;
  /** [batch, L] int32: text ids, the placeholder id at sense positions, `padTokenId` at padding. */
  readonly tokenIds: tf.Tensor2D;
  /** The CPU-side plan: row lengths and, per row, which positions each sense fills. */
  readonly plan: ZipperPlan;
}

/**
 * Combines text and sense embeddings (Megatron's `combine_multimodal_inputs`, in both
 * conventions). Returned tensors belong to the caller; inputs are not disposed.
 */
export function zipMultimodalInputs(inputs: ZipperInputs): ZipperOutputs {
  const senses = inputs.senses.map((sense) => {
    if (sense.embeddings.rank !== 3) {
      throw new ZipperError('zipper-bad-embeddings',
        `zipper: sense ${sense.name} embeddings have shape [${sense.embeddings.shape.join(', ')}]`,
        'pass embeddings shaped [items, N, hidden] (a single item is [1, N, hidden])', sense.name);
    }
    const [items, tokensPerItem] = sense.embeddings.shape;
    return { name: sense.name, tokenId: sense.tokenId, tokensPerItem, items, layout: sense.layout, token: sense.token };
  });
  const plan = planZipper({
    tokenIds: toRows(inputs.tokenIds),
    attentionMask: inputs.attentionMask === undefined ? undefined : toRows(inputs.attentionMask),
    senses,
    convention: inputs.convention,
    padTokenId: inputs.padTokenId,
  });
  const hidden = hiddenSize(inputs);
  const embeddings = tf.tidy(() => {
    const text = embedText(inputs.embed, plan.textTokenIds, hidden);
    const parts: tf.Tensor2D[] = [text];
    for (const sense of inputs.senses) {
      const flat = sense.embeddings.reshape([-1, hidden]) as tf.Tensor2D;
      parts.push(flat.dtype === text.dtype ? flat : (tf.cast(flat, text.dtype) as tf.Tensor2D));
    }
    parts.push(tf.zeros([1, hidden], text.dtype));
    const table = tf.concat(parts, 0);
    const index = tf.tensor1d(plan.gatherIndex, 'int32');
    return tf.gather(table, index).reshape([plan.batch, plan.length, hidden]) as tf.Tensor3D;
  });
  const shape: [number, number] = [plan.batch, plan.length];
  return {
    embeddings,
    attentionMask: tf.tensor2d(plan.attentionMask, shape, 'int32'),
    positionIds: tf.tensor2d(plan.positionIds, shape, 'int32'),
    tokenIds: tf.tensor2d(plan.tokenIds, shape, 'int32'),
    plan,
  };
}

function hiddenSize(inputs: ZipperInputs): number {
  const widths = new Map<string, number>();
  if (typeof inputs.embed !== 'function') {
    if (inputs.embed.rank !== 2) {
      throw new ZipperError('zipper-bad-embeddings', `zipper: the text embedding table has shape [${inputs.embed.shape.join(', ')}]`,
        'pass the table as [vocab, hidden], or a function from ids to [T, hidden]');
    }
    widths.set('text', inputs.embed.shape[1]);
  }
  for (const sense of inputs.senses) widths.set(`sense ${sense.name}`, sense.embeddings.shape[2]);
  const distinct = new Set(widths.values());
  if (distinct.size > 1) {
    const listed = [...widths.entries()].map(([what, width]) => `${what}: ${width}`).join(', ');
    throw new ZipperError('zipper-width-mismatch', `zipper: embeddings differ in width (${listed})`,
      "every sense's projector must output the decoder's hidden size");
  }
  if (distinct.size === 1) return [...distinct][0];
  // Only a text function and no senses: ask it for the width.
  return tf.tidy(() => (inputs.embed as (ids: tf.Tensor1D) => tf.Tensor2D)(tf.tensor1d([], 'int32')).shape[1]);
}

function embedText(embed: TextEmbedder, ids: Int32Array, hidden: number): tf.Tensor2D {
  const idTensor = tf.tensor1d(ids, 'int32');
  const out = typeof embed === 'function' ? embed(idTensor) : tf.gather(embed, idTensor);
  if (out.rank !== 2 || out.shape[0] !== ids.length || out.shape[1] !== hidden) {
    throw new ZipperError('zipper-bad-embeddings',
      `zipper: the text embedding function returned shape [${out.shape.join(', ')}] for ${ids.length} ids; expected [${ids.length}, ${hidden}]`,
      'the function must map int32 ids [T] to embeddings [T, hidden]');
  }
  return out as tf.Tensor2D;
}

function toRows(value: tf.Tensor2D | readonly ArrayLike<number>[]): readonly ArrayLike<number>[] {
  if (Array.isArray(value)) return value;
  const tensor = value as tf.Tensor2D;
  if (tensor.rank !== 2) {
    throw new ZipperError('zipper-bad-token', `zipper: token ids have shape [${tensor.shape.join(', ')}]`,
      'pass token ids as a [batch, length] tensor or one array per row');
  }
  const [batch, length] = tensor.shape;
  const data = tensor.dataSync();
  const rows: ArrayLike<number>[] = [];
  for (let b = 0; b < batch; b++) rows.push(data.subarray(b * length, (b + 1) * length) as ArrayLike<number>);
  return rows;
}
