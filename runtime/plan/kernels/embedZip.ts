/**
 * `embed_zip` kernels: the token embedding lookup and the zipper as one gather. The prompt ids are
 * read on the host (the row mapping is data-dependent), text rows are looked up in the table, and
 * every output row is then gathered once from [text rows; sense₀ rows; sense₁ rows; …] — the same
 * concat + gather the runtime zipper does, with the plan's checks: each sample must hold exactly as
 * many placeholders of a sense as the sense has embeddings.
 */
import { tf } from '../../backend/tf.js';
import { PlanRunError } from '../errors.js';
import type { PlanKernelOf, ZipPlaceholder } from '../types.js';
import type { KernelStep, LoadContext } from './context.js';

export function compileEmbedZip(kernel: PlanKernelOf<'embed_zip'>, load: LoadContext): KernelStep {
  load.needsHost(1);
  const [, seq, hidden] = kernel.outputs[0].shape;
  const vocab = kernel.inputs[0].shape[0];
  const placeholders = kernel.params.placeholders;
  return (ctx) => {
    const ids = ctx.hostInts(1);
    const { textIds, rows } = zipRows(ids, seq, vocab, placeholders);
    const senses = placeholders.map((_, k) => tf.reshape(ctx.read(2 + k), [-1, hidden]));
    const text = tf.gather(ctx.read(0), tf.tensor1d(textIds, 'int32'));
    const source = senses.length === 0 ? text : tf.concat([text, ...senses]);
    const out = tf.gather(source, tf.tensor1d(rows, 'int32'));
    return [{ output: 0, tensor: tf.reshape(out, [...kernel.outputs[0].shape]) }];
  };
}

/**
 * For each prompt position, its row in [text rows; sense rows…]: text positions take the next text
 * row (their ids collected in `textIds`), the n-th placeholder of sense k in sample b takes row
 * (b·tokens_k + n) of that sense.
 */
export function zipRows(ids: Int32Array, seq: number, vocab: number, placeholders: readonly ZipPlaceholder[]): { textIds: Int32Array; rows: Int32Array } {
  const batch = ids.length / seq;
  const senseOf = new Map(placeholders.map((ph, k) => [ph.tokenId, k]));
  let textCount = 0;
  for (const id of ids) if (!senseOf.has(id)) textCount++;
  const textIds = new Int32Array(textCount);
  const rows = new Int32Array(ids.length);
  const base: number[] = [];
  let offset = textCount;
  for (const ph of placeholders) {
    base.push(offset);
    offset += batch * ph.tokens;
  }
  let t = 0;
  for (let b = 0; b < batch; b++) {
    const seen = placeholders.map(() => 0);
    for (let p = 0; p < seq; p++) {
      const id = ids[b * seq + p];
      const k = senseOf.get(id);
      if (k === undefined) {
        if (!(id >= 0 && id < vocab)) {
          throw new PlanRunError(`token id ${id} at sample ${b}, position ${p} is outside the ${vocab}-row embedding table`, `use ids in [0, ${vocab})`);
        }
        textIds[t] = id;
        rows[b * seq + p] = t++;
        continue;
      }
      const ph = placeholders[k];
      if (seen[k] >= ph.tokens) {
        throw new PlanRunError(`sample ${b} has more than ${ph.tokens} \`${ph.sense}\` placeholders (id ${ph.tokenId})`, `put exactly ${ph.tokens} placeholder ids for the ${ph.sense} sense in each sample (the plan takes pre-expanded prompts)`);
      }
      rows[b * seq + p] = base[k] + b * ph.tokens + seen[k]++;
    }
    placeholders.forEach((ph, k) => {
      if (seen[k] !== ph.tokens) {
        throw new PlanRunError(`sample ${b} has ${seen[k]} \`${ph.sense}\` placeholders (id ${ph.tokenId}) for ${ph.tokens} embeddings`, `put exactly ${ph.tokens} placeholder ids for the ${ph.sense} sense in each sample (the plan takes pre-expanded prompts)`);
      }
    });
  }
  return { textIds, rows };
}
