/**
 * Emitted code for one sense: the type of its loaded weights, the expression that loads them by
 * their Hugging Face names, and the body of its `encode<Sense>` method (encoder, then projector),
 * all calling runtime blocks. Shapes in types come from the IR; names from `compiler/ir/names.ts`.
 */
import { senseInputSpec } from '../ir/buildGraph.js';
import { encoderLayerPrefix, projectorRoot, towerRoot } from '../ir/names.js';
import type { Sense } from '../model/types.js';
import type { EmitContext } from './emitContext.js';
import { commentText, propertyAccess, stringLiteral } from './literals.js';

export interface SenseCode {
  /** Property name of the sense in inputs and weights. */
  readonly key: string;
  /** Name of its public encode method. */
  readonly method: string;
  /** Name of the interface of its loaded weights. */
  readonly weightsInterface: string;
  /** `config.senses.vision` */
  readonly config: string;
  /** Shape tuple text of the media input and of the projected embeddings. */
  readonly inputShape: string;
  readonly outputShape: string;
  readonly inputDoc: string;
  readonly methodDoc: string;
  /** Properties of the weights interface: `[name, type, doc]`. */
  readonly weightFields: readonly (readonly [string, string, string])[];
  /** Object literal (text) building the weights from `source`. */
  readonly load: string;
  /** Statements of the encode method; `media` and `dims` are its parameters. */
  readonly encode: string;
}

export interface SenseNames {
  readonly key: string;
  readonly method: string;
  readonly weightsInterface: string;
}

/** `['batch', 2, 3, 32, 32]` */
export function shapeTuple(shape: readonly (number | string)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : stringLiteral(d))).join(', ')}]`;
}

/** A prefix as a string literal, or a template literal with `${i}` for per-layer prefixes. */
function layerPrefix(prefixOf: (i: number) => string): string {
  const sample = prefixOf(7);
  const [head, tail] = sample.split('.7.');
  // Names are dotted identifier segments; anything else is concatenated rather than templated.
  if (/^[A-Za-z0-9_.]*$/.test(head) && tail === '') return `\`${head}.\${i}.\``;
  return `${stringLiteral(`${head}.`)} + i + '.'`;
}

export function emitSense(ctx: EmitContext, sense: Sense, names: SenseNames, decoderHidden: number): SenseCode {
  const spec = senseInputSpec(sense);
  if (spec === undefined) throw new Error(`sense ${sense.name}: no input spec (the IR reports this first)`);
  const cfg = propertyAccess('config.senses', sense.name);
  const tower = `${towerRoot(sense.name)}.`;
  const inputShape = shapeTuple(spec.shape);
  const outputShape = shapeTuple(['batch', sense.tokens, decoderHidden]);
  const token = `${commentText(sense.token.text)} (id ${sense.token.id})`;
  const projector = emitProjector(ctx, sense, cfg);
  const e = sense.encoder;
  const common = { key: names.key, method: names.method, weightsInterface: names.weightsInterface, config: cfg, inputShape, outputShape };

  if (e.family === 'clip_vit' || e.family === 'siglip_vit') {
    const clip = e.family === 'clip_vit';
    const video = sense.input.kind === 'video';
    const grid = Math.floor(e.imageSize / e.patch);
    ctx.use('tf');
    const fields: [string, string, string][] = [
      ['embeddings', ctx.useType(clip ? 'ClipVisionEmbeddingsWeights' : 'SiglipVisionEmbeddingsWeights'), 'patch, class and position embeddings'],
    ];
    const load = [
      `embeddings: ${ctx.use(clip ? 'loadClipVisionEmbeddingsWeights' : 'loadSiglipVisionEmbeddingsWeights')}(source, ${stringLiteral(`${tower}vision_model.embeddings.`)}, ${cfg}.encoder),`,
    ];
    const body: string[] = [];
    if (video) {
      body.push('const [batch, frames, channels, height, width] = media.shape;');
      body.push(`let x = ${ctx.use(clip ? 'clipVisionEmbeddings' : 'siglipVisionEmbeddings')}(tf.reshape<tf.Rank.R4>(media, [batch * frames, channels, height, width]), w.embeddings);`);
    } else {
      body.push(`let x = ${ctx.use(clip ? 'clipVisionEmbeddings' : 'siglipVisionEmbeddings')}(media, w.embeddings);`);
    }
    if (e.preNorm) {
      fields.push(['preLayrnorm', ctx.useType('LayerNormWeights'), '`pre_layrnorm`']);
      load.push(`preLayrnorm: new ${ctx.use('WeightReader')}(source, ${stringLiteral(`${tower}vision_model.`)}).layerNorm('pre_layrnorm', ${cfg}.encoder.hidden),`);
      body.push(`x = ${ctx.use('layerNorm')}(x, w.preLayrnorm, ${cfg}.encoder.normEps) as tf.Tensor3D;`);
    }
    fields.push(['layers', `readonly ${ctx.useType('VitEncoderLayerWeights')}[]`, `the ${e.layersUsed} encoder layers up to select_layer ${e.selectLayer}`]);
    load.push(
      `layers: Array.from({ length: ${cfg}.encoder.layersUsed }, (_, i) => ${ctx.use('loadVitEncoderLayerWeights')}(source, ${layerPrefix((i) => encoderLayerPrefix(sense.name, e, i))}, ${cfg}.encoder)),`,
    );
    body.push(`for (const layer of w.layers) x = ${ctx.use(clip ? 'clipEncoderLayer' : 'siglipEncoderLayer')}(x, layer, ${cfg}.encoder);`);
    if (e.classToken && e.dropClassToken) body.push('x = tf.slice(x, [0, 1, 0], [-1, -1, -1]); // drop the class token');
    if (e.poolStride > 1) body.push(`x = ${ctx.use('avgPoolGrid')}(x, { height: ${grid}, width: ${grid} }, ${cfg}.encoder.poolStride);`);
    if (video) body.push('x = tf.reshape<tf.Rank.R3>(x, [batch, frames * x.shape[1], x.shape[2]]); // frames one after another');
    body.push(...projector.body);
    const what = `${video ? `video (${sense.input.kind === 'video' ? sense.input.frames : 1} frames)` : 'image'} → ${e.family} (${e.layersUsed} of ${e.layers} layers${e.classToken && e.dropClassToken ? ', class token dropped' : ''}${e.poolStride > 1 ? `, pooled by ${e.poolStride}` : ''})`;
    return {
      ...common,
      inputDoc: `${commentText(sense.name)}: normalised pixels ${video ? '[batch, frames, channels, height, width]' : '[batch, channels, height, width]'}; the prompt marks them with ${token}`,
      methodDoc: `${commentText(sense.name)}: ${what} → ${sense.projector.kind} projector → ${sense.tokens} embeddings per sample`,
      weightFields: [...fields, ...projector.fields],
      load: [...load, ...projector.load].join('\n'),
      encode: encodeBody(sense, names, cfg, inputShape, outputShape, body),
    };
  }

  if (e.family === 'whisper') {
    ctx.use('tf');
    const fields: [string, string, string][] = [
      ['front', ctx.useType('WhisperConvFrontWeights'), 'conv1, conv2 and the position table'],
      ['layers', `readonly ${ctx.useType('WhisperEncoderLayerWeights')}[]`, `the ${e.layers} encoder layers`],
      ['layerNorm', ctx.useType('LayerNormWeights'), 'the final `layer_norm`'],
    ];
    const load = [
      `front: ${ctx.use('loadWhisperConvFrontWeights')}(source, ${stringLiteral(tower)}, ${cfg}.encoder),`,
      `layers: Array.from({ length: ${cfg}.encoder.layers }, (_, i) => ${ctx.use('loadWhisperEncoderLayerWeights')}(source, ${layerPrefix((i) => encoderLayerPrefix(sense.name, e, i))}, ${cfg}.encoder)),`,
      `layerNorm: new ${ctx.use('WeightReader')}(source, ${stringLiteral(tower)}).layerNorm('layer_norm', ${cfg}.encoder.hidden),`,
    ];
    const body = [
      `let x = ${ctx.use('whisperConvFront')}(media, w.front);`,
      `for (const layer of w.layers) x = ${ctx.use('whisperEncoderLayer')}(x, layer, ${cfg}.encoder);`,
      `x = ${ctx.use('layerNorm')}(x, w.layerNorm, ${cfg}.encoder.normEps) as tf.Tensor3D;`,
      ...projector.body,
    ];
    return {
      ...common,
      inputDoc: `${commentText(sense.name)}: Whisper log-mel features [batch, mel bins, frames] (\`whisperLogMel\`); the prompt marks them with ${token}`,
      methodDoc: `${commentText(sense.name)}: log-mel → Whisper encoder (${e.layers} layers) → ${sense.projector.kind} projector → ${sense.tokens} embeddings per sample`,
      weightFields: [...fields, ...projector.fields],
      load: [...load, ...projector.load].join('\n'),
      encode: encodeBody(sense, names, cfg, inputShape, outputShape, body),
    };
  }

  if (e.family !== 'beats') throw new Error(`unknown encoder family ${String(e.family)}`);
  ctx.use('tf');
  const relative = e.relPosBuckets > 0;
  const fields: [string, string, string][] = [
    ['front', ctx.useType('BeatsPatchFrontWeights'), 'patch embedding, its LayerNorm and projection'],
    ['positions', ctx.useType('BeatsConvPositionsWeights'), 'convolutional positions and the encoder LayerNorm'],
  ];
  const reader = ctx.use('WeightReader');
  const load = [
    `front: ${ctx.use('loadBeatsPatchFrontWeights')}(source, ${stringLiteral(tower)}, ${cfg}.encoder),`,
    `positions: ${ctx.use('loadBeatsConvPositionsWeights')}(source, ${stringLiteral(`${tower}encoder.`)}, ${cfg}.encoder),`,
  ];
  if (relative) {
    fields.push(['relativeBias', 'tf.Tensor2D', "layer 0's relative position table [buckets, heads]"]);
    load.push(
      `relativeBias: new ${reader}(source, ${stringLiteral(encoderLayerPrefix(sense.name, e, 0))}).tensor<tf.Rank.R2>('self_attn.relative_attention_bias.weight', [${cfg}.encoder.relPosBuckets, ${cfg}.encoder.heads]),`,
    );
  }
  fields.push(['layers', `readonly ${ctx.useType('BeatsEncoderLayerWeights')}[]`, `the ${e.layers} encoder layers`]);
  const layerConfig = relative ? `${cfg}.encoder` : `{ ...${cfg}.encoder, gatedRelPos: false }`;
  load.push(
    `layers: Array.from({ length: ${cfg}.encoder.layers }, (_, i) => ${ctx.use('loadBeatsEncoderLayerWeights')}(source, ${layerPrefix((i) => encoderLayerPrefix(sense.name, e, i))}, ${layerConfig})),`,
  );
  const body = [
    `let x = ${ctx.use('beatsPatchFront')}(media, w.front, ${cfg}.encoder);`,
    `x = ${ctx.use('beatsConvPositions')}(x, w.positions, ${cfg}.encoder);`,
    relative
      ? `const positionBias = ${ctx.use('beatsRelativePositionBias')}(w.relativeBias, x.shape[1], x.shape[1], ${cfg}.encoder);`
      : 'const positionBias = null;',
    `for (const layer of w.layers) x = ${ctx.use('beatsEncoderLayer')}(x, layer, ${layerConfig}, positionBias);`,
    ...projector.body,
  ];
  return {
    ...common,
    inputDoc: `${commentText(sense.name)}: BEATs fbank [batch, frames, mel bins] (\`beatsFbank\`); the prompt marks them with ${token}`,
    methodDoc: `${commentText(sense.name)}: fbank → BEATs encoder (${e.layers} layers) → ${sense.projector.kind} projector → ${sense.tokens} embeddings per sample`,
    weightFields: [...fields, ...projector.fields],
    load: [...load, ...projector.load].join('\n'),
    encode: encodeBody(sense, names, cfg, inputShape, outputShape, body),
  };
}

function emitProjector(ctx: EmitContext, sense: Sense, cfg: string): { fields: [string, string, string][]; load: string[]; body: string[] } {
  const prefix = stringLiteral(`${projectorRoot(sense.name)}.`);
  const p = sense.projector;
  if (p.kind === 'affine') {
    return {
      fields: [['projector', ctx.useType('Linear'), `affine projector ${p.inputWidth} → ${p.outputWidth}`]],
      load: [`projector: ${ctx.use('loadAffineProjectorWeights')}(source, ${prefix}, 'linear_1', ${cfg}.projector),`],
      body: [`return ${ctx.use('affineProjector')}(x, w.projector) as tf.Tensor3D;`],
    };
  }
  return {
    fields: [['projector', ctx.useType('MlpProjectorWeights'), `mlp projector, depth ${p.depth}: ${p.inputWidth} → ${p.hiddenWidth} → ${p.outputWidth}`]],
    load: [`projector: ${ctx.use('loadMlpProjectorWeights')}(source, ${prefix}, ${cfg}.projector),`],
    body: [`return ${ctx.use('mlpProjector')}(x, w.projector, ${cfg}.projector.activation) as tf.Tensor3D;`],
  };
}

function encodeBody(_sense: Sense, names: SenseNames, _cfg: string, inputShape: string, outputShape: string, body: readonly string[]): string {
  const label = stringLiteral(names.key);
  return [
    `shaped(media, ${inputShape}, dims, ${label});`,
    `const w = this.weights.${names.key};`,
    'const embeddings = tf.tidy(() => {',
    ...body.map((line) => `  ${line}`),
    '});',
    `return shaped(embeddings, ${outputShape}, dims, ${stringLiteral(`${names.key} embeddings`)});`,
  ].join('\n');
}
