/** The zipper: writes each sense's embeddings where its placeholder ids stand in the prompt. */
import { dimsEqual, formatShape } from '../dims.js';
import { fail, fixedCategory, requireFloat, requireInt, requireSameDtype, type OpSchema } from './schema.js';

export const zip: OpSchema<'zip'> = {
  arity: [2, Infinity],
  infer(attrs, [embeds, ids, ...senses]) {
    requireFloat(embeds, 'zip embeddings');
    requireInt(ids, 'zip input ids');
    if (embeds.shape.length !== 3 || ids.shape.length !== 2) fail(`zip needs embeds [batch, seq, hidden] and ids [batch, seq], got ${formatShape(embeds.shape)} and ${formatShape(ids.shape)}`);
    const [batch, seq, hidden] = embeds.shape;
    if (!dimsEqual(ids.shape[0], batch) || !dimsEqual(ids.shape[1], seq)) fail(`zip ids ${formatShape(ids.shape)} do not match embeddings ${formatShape(embeds.shape)}`);
    if (attrs.placeholders.length !== senses.length) fail(`zip has ${senses.length} senses but ${attrs.placeholders.length} placeholders`);
    requireSameDtype([embeds, ...senses], 'zip');
    const seen = new Set<number>();
    senses.forEach((s, k) => {
      const p = attrs.placeholders[k];
      if (seen.has(p.tokenId)) fail(`zip placeholder id ${p.tokenId} is used twice`);
      seen.add(p.tokenId);
      const ok = s.shape.length === 3 && dimsEqual(s.shape[0], batch) && dimsEqual(s.shape[1], p.tokens) && dimsEqual(s.shape[2], hidden);
      if (!ok) fail(`zip sense \`${p.sense}\` is ${formatShape(s.shape)}, expected [${String(batch)}, ${p.tokens}, ${String(hidden)}]`);
    });
    return embeds;
  },
  category: fixedCategory('opaque'),
};
