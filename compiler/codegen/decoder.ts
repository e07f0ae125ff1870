/**
 * Emitted code for the decoder: the type of its loaded weights, their loading by Hugging Face
 * name, and the body of `decode` (embeddings already zipped → blocks → final norm → head).
 */
import { DECODER_ROOT, decoderBody, decoderLayerPrefix } from '../ir/names.js';
import type { DecoderConfig } from '../model/types.js';
import type { EmitContext } from './emitContext.js';
import { stringLiteral } from './literals.js';

export interface DecoderCode {
  readonly fields: readonly (readonly [string, string, string])[];
  /** Statements run in `load` before the weights object is built (shared tensors). */
  readonly prelude: string;
  readonly load: string;
  /** Body of `decode(embeddings, attentionMask, positionIds)`: the final hidden states. */
  readonly decode: string;
  /** Body of `head(hidden)`: logits. */
  readonly head: string;
}

export function emitDecoder(ctx: EmitContext, d: DecoderConfig): DecoderCode {
  ctx.use('tf');
  const root = stringLiteral(`${DECODER_ROOT}.`);
  const body = decoderBody(d);
  const sample = decoderLayerPrefix(d, 7);
  const layerPrefix = `\`${sample.slice(0, sample.indexOf('.7.'))}.\${i}.\``;
  const reader = ctx.use('WeightReader');
  const lmHead = d.tiedEmbeddings
    ? `lmHead: ${ctx.use('linearFromHf')}(embedTokens), // tied: the head reads the token table`
    : `lmHead: decoder.linear('lm_head', config.decoder.hidden, config.decoder.vocabTotal, false),`;
  const prelude = [
    `const decoder = new ${reader}(source, ${root});`,
    `const embedTokens = decoder.tensor<tf.Rank.R2>(${stringLiteral(`${body}.${d.family === 'gpt2' ? 'wte' : 'embed_tokens'}.weight`)}, [config.decoder.vocabTotal, config.decoder.hidden]);`,
  ].join('\n');

  if (d.family === 'gpt2') {
    return {
      fields: [
        ['embedTokens', 'tf.Tensor2D', '`wte` [vocab, hidden], also the zipper\'s text table'],
        ['positions', 'tf.Tensor2D', '`wpe` [context, hidden]'],
        ['layers', `readonly ${ctx.useType('Gpt2BlockWeights')}[]`, `the ${d.layers} GPT-2 blocks`],
        ['lnF', ctx.useType('LayerNormWeights'), '`ln_f`'],
        ['lmHead', ctx.useType('Linear'), d.tiedEmbeddings ? 'the head (tied to `wte`)' : '`lm_head`'],
      ],
      prelude,
      load: [
        'embedTokens,',
        `positions: decoder.tensor<tf.Rank.R2>('transformer.wpe.weight', [config.decoder.context, config.decoder.hidden]),`,
        `layers: Array.from({ length: config.decoder.layers }, (_, i) => ${ctx.use('loadGpt2BlockWeights')}(source, ${layerPrefix}, config.decoder)),`,
        `lnF: decoder.layerNorm('transformer.ln_f', config.decoder.hidden),`,
        lmHead,
      ].join('\n'),
      decode: [
        'const w = this.weights.decoder;',
        `let x = tf.add(embeddings, ${ctx.use('learnedPositions')}(w.positions, positionIds)) as tf.Tensor3D;`,
        `for (const layer of w.layers) x = ${ctx.use('gpt2Block')}(x, layer, config.decoder, { attentionMask }).hidden;`,
        `return ${ctx.use('layerNorm')}(x, w.lnF, config.decoder.norm.eps) as tf.Tensor3D;`,
      ].join('\n'),
      head: `return ${ctx.use('linear')}(hidden, this.weights.decoder.lmHead);`,
    };
  }
  return {
    fields: [
      ['embedTokens', 'tf.Tensor2D', '`embed_tokens` [vocab, hidden], also the zipper\'s text table'],
      ['layers', `readonly ${ctx.useType('LlamaBlockWeights')}[]`, `the ${d.layers} LLaMA blocks`],
      ['norm', ctx.useType('RmsNormWeights'), 'the final RMSNorm'],
      ['lmHead', ctx.useType('Linear'), d.tiedEmbeddings ? 'the head (tied to `embed_tokens`)' : '`lm_head`'],
    ],
    prelude,
    load: [
      'embedTokens,',
      `layers: Array.from({ length: config.decoder.layers }, (_, i) => ${ctx.use('loadLlamaBlockWeights')}(source, ${layerPrefix}, config.decoder)),`,
      `norm: decoder.rmsNorm('model.norm', config.decoder.hidden),`,
      lmHead,
    ].join('\n'),
    decode: [
      'const w = this.weights.decoder;',
      '// One cos/sin table for every layer, from the zipper\'s (padding-aware) positions.',
      `const rope = ${ctx.use('ropeTables')}(positionIds, config.decoder.headDim, config.decoder.position.theta);`,
      'let x = embeddings;',
      `for (const layer of w.layers) x = ${ctx.use('llamaBlock')}(x, layer, config.decoder, { attentionMask, rope }).hidden;`,
      `return ${ctx.use('rmsNorm')}(x, w.norm, config.decoder.norm.eps) as tf.Tensor3D;`,
    ].join('\n'),
    head: `return ${ctx.use('linear')}(hidden, this.weights.decoder.lmHead);`,
  };
}
