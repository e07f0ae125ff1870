/**
 * The IR stage's entry: lowers a checked model into its graph. Inputs come first (prompt ids,
 * mask, positions, then each sense's media tensor), then each sense's encoder and projector, the
 * zipper and the decoder; `logits` is the output. With `MIMO_DEBUG_IR=1` the invariants are
 * checked after every build and a violation throws (a compiler bug, never a user error).
 */
import { createDiagnostic } from '../diagnostics/create.js';
import { lowerDiagnostics } from '../diagnostics/catalog/lower.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { CheckedModel, Sense } from '../model/types.js';
import { GraphBuilder, type ValueId } from './builder.js';
import { DECODER_ROOT, projectorRoot, towerRoot } from './names.js';
import { type LowerContext, spanAt } from './families/context.js';
import { beatsFbankFrames, lowerBeats } from './families/beats.js';
import { type DecoderInputs, lowerDecoder } from './families/decoder.js';
import { lowerProjector } from './families/projector.js';
import { lowerVit } from './families/vit.js';
import { lowerWhisper, whisperMelFrames } from './families/whisper.js';
import type { Graph, InputRole, Shape, SymbolSpec, WeightSpec } from './types.js';
import { verifyGraph } from './verify.js';

export interface IrResult {
  /** Undefined only when `diagnostics` holds an error. */
  readonly graph: Graph | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface BuildGraphOptions {
  /** Check the invariants and throw on a violation (default: `MIMO_DEBUG_IR=1` in the environment). */
  readonly debug?: boolean;
}

/** Shape symbols of every graph. */
export function graphSymbols(model: CheckedModel): readonly SymbolSpec[] {
  return [
    { name: 'batch', description: 'samples in the batch', max: undefined },
    { name: 'seq', description: 'prompt tokens after placeholder expansion (text + every sense)', max: model.decoder.context },
  ];
}

/** A sense's media input: its graph input name, role and shape (`batch` symbolic). */
export interface SenseInputSpec {
  readonly name: string;
  readonly role: InputRole;
  readonly shape: Shape;
}

/** The media tensor a sense's encoder reads, or undefined when the input kind does not fit the encoder. */
export function senseInputSpec(sense: Sense): SenseInputSpec | undefined {
  const { input, encoder } = sense;
  if (encoder.family === 'clip_vit' || encoder.family === 'siglip_vit') {
    const name = `${sense.name}_pixel_values`;
    if (input.kind === 'image') return { name, role: 'pixel_values', shape: ['batch', input.channels, input.size, input.size] };
    if (input.kind === 'video') return { name, role: 'pixel_values', shape: ['batch', input.frames, input.channels, input.size, input.size] };
    return undefined;
  }
  if (input.kind !== 'audio') return undefined;
  if (encoder.family === 'whisper') return { name: `${sense.name}_input_features`, role: 'input_features', shape: ['batch', encoder.melBins, whisperMelFrames(sense, encoder)] };
  if (encoder.family === 'beats') return { name: `${sense.name}_fbank`, role: 'fbank', shape: ['batch', beatsFbankFrames(sense, encoder), encoder.melBins] };
  return undefined;
}

export function buildGraph(model: CheckedModel, options: BuildGraphOptions = {}): IrResult {
  const diagnostics: Diagnostic[] = [];
  const b = new GraphBuilder(model.id, graphSymbols(model), model.dtype);
  const ctx: LowerContext = { b, model, report: (d) => diagnostics.push(d) };

  const prompt: Shape = ['batch', 'seq'];
  const inputIds = b.input('input_ids', 'input_ids', undefined, prompt, 'int32');
  const attentionMask = b.input('attention_mask', 'attention_mask', undefined, prompt, 'int32');
  const positionIds = b.input('position_ids', 'position_ids', undefined, prompt, 'int32');

  const media: ValueId[] = [];
  for (const sense of model.senses) {
    const spec = senseInputSpec(sense);
    if (spec === undefined) {
      diagnostics.push(
        createDiagnostic(lowerDiagnostics.irInputKindMismatch, spanAt(model, `senses.${sense.name}.input`), { sense: sense.name, family: sense.encoder.family, kind: sense.input.kind }, {
          help: sense.input.kind === 'audio' ? 'use `whisper` or `beats` for an audio input' : 'use `clip_vit` or `siglip_vit` for an image or video input',
        }),
      );
      return { graph: undefined, diagnostics };
    }
    media.push(b.input(spec.name, spec.role, sense.name, spec.shape, b.floatType));
  }

  const senses: DecoderInputs['senses'][number][] = [];
  for (const [k, sense] of model.senses.entries()) {
    const embeds = lowerSense(ctx, sense, media[k]);
    if (embeds === undefined) return { graph: undefined, diagnostics };
    senses.push({ placeholder: { sense: sense.name, tokenId: sense.token.id, tokens: sense.tokens }, embeds });
  }

  const logits = b.component({ component: { kind: 'decoder' }, frozen: model.decoder.frozen }, DECODER_ROOT, () =>
    lowerDecoder(ctx, model.decoder, { inputIds, attentionMask, positionIds, senses }),
  );
  if (logits === undefined) return { graph: undefined, diagnostics };

  const built = b.finish([{ name: 'logits', node: logits }]);
  const graph: Graph = { ...built, weights: checkpointOrder(built.weights, model) };
  if (options.debug ?? process.env.MIMO_DEBUG_IR === '1') {
    const violations = verifyGraph(graph);
    if (violations.length > 0) throw new Error(`IR invariants broken for ${model.id}:\n${violations.map((v) => `  ${v.invariant}: ${v.message}`).join('\n')}`);
  }
  return { graph, diagnostics };
}

/** Encoder then projector of one sense; returns `[batch, tokens, decoder hidden]`. */
function lowerSense(ctx: LowerContext, sense: Sense, media: ValueId): ValueId | undefined {
  const { b, model } = ctx;
  const enc = sense.encoder;
  const features = b.component({ component: { kind: 'encoder', sense: sense.name }, frozen: enc.frozen }, towerRoot(sense.name), () => {
    if (enc.family === 'whisper') return lowerWhisper(ctx, sense, enc, media);
    if (enc.family === 'beats') return lowerBeats(ctx, sense, enc, media);
    return lowerVit(ctx, sense, enc, media);
  });
  if (features === undefined) return undefined;
  const tokens = b.shape(features)[1];
  if (tokens !== sense.tokens) {
    ctx.report(
      createDiagnostic(lowerDiagnostics.irTokenCountMismatch, spanAt(model, `senses.${sense.name}.encoder`), { sense: sense.name, actual: String(tokens), expected: sense.tokens }, {
        help: 'this is a compiler bug: please report it with the spec that shows it',
      }),
    );
    return undefined;
  }
  return b.component({ component: { kind: 'projector', sense: sense.name }, frozen: sense.projector.frozen }, projectorRoot(sense.name), () =>
    lowerProjector(b, sense.projector, features),
  );
}

/** Decoder weights first, then each sense's encoder and projector in declaration order (build order within each). */
function checkpointOrder(weights: readonly WeightSpec[], model: CheckedModel): WeightSpec[] {
  const rank = (w: WeightSpec): number => {
    if (w.component.kind === 'decoder') return 0;
    const k = model.senses.findIndex((s) => w.component.kind !== 'decoder' && s.name === w.component.sense);
    return 1 + 2 * k + (w.component.kind === 'projector' ? 1 : 0);
  };
  return weights.map((w, i) => ({ w, i, r: rank(w) })).sort((a, b) => a.r - b.r || a.i - b.i).map((e) => e.w);
}
