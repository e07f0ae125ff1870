/**
 * The lift: a resolved model that passed every rule becomes a `CheckedModel` — concrete numbers,
 * defaults filled in, widths and token counts derived — plus a `spans` map from dotted paths to
 * the text that set each value. Called only when the rules found no error, so a value that cannot
 * be read here is a bug in the rules, reported by throwing.
 */
import type { Span } from '../diagnostics/types.js';
import type {
  Activation,
  BeatsEncoder,
  CheckedModel,
  DecoderConfig,
  DType,
  Encoder,
  NormKind,
  Projector,
  Sense,
  SenseInput,
  VitEncoder,
  WhisperEncoder,
} from '../model/types.js';
import type { ResolvedModel } from '../resolve/tree.js';
import { asComponent } from '../resolve/build.js';
import { audioSamples, layersUsed, senseTokens } from './derive.js';
import { assignPlaceholders } from './placeholders.js';
import { decoderFamilyDefaults, modelParts, readField, readNumber, readBoolean, readName, subPart, type ModelParts, type Part } from './read.js';
import { modelBlock } from './schema.js';
import { walkModel } from './walk.js';

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`lift: ${what} is missing or invalid after checking`);
  return value;
}

const num = (part: Part, name: string): number => must(readNumber(part, name), `${part.kind.name}.${name}`).value;
const bool = (part: Part, name: string): boolean => must(readBoolean(part, name), `${part.kind.name}.${name}`).value;
const name = (part: Part, field: string): string => must(readName(part, field), `${part.kind.name}.${field}`).value;

/** `parts` saves reading the model's parts again when the caller has them (`checkModel` does). */
export function liftModel(model: ResolvedModel, parts: ModelParts = modelParts(model)): CheckedModel {
  const decoderPart = must(parts.decoder, 'decoder');
  const family = decoderPart.kind.name as DecoderConfig['family'];
  const defaults = decoderFamilyDefaults[family];
  const norm = must(subPart(decoderPart, 'norm', defaults.norm), 'decoder.norm');
  const mlp = must(subPart(decoderPart, 'mlp', defaults.mlp), 'decoder.mlp');
  const position = must(subPart(decoderPart, 'position', defaults.position), 'decoder.position');
  const hidden = num(decoderPart, 'hidden');
  const heads = num(decoderPart, 'heads');
  const vocab = num(decoderPart, 'vocab');
  const { placeholders, vocabTotal } = assignPlaceholders(parts.senses, vocab);

  const decoder: DecoderConfig = {
    family,
    preset: decoderPart.component.preset?.name,
    layers: num(decoderPart, 'layers'),
    hidden,
    heads,
    kvHeads: readNumber(decoderPart, 'kv_heads')?.value ?? heads,
    headDim: hidden / heads,
    ffn: num(decoderPart, 'ffn'),
    vocab,
    vocabTotal,
    context: num(decoderPart, 'context'),
    norm: { kind: norm.kind.name as NormKind, eps: num(norm, 'eps') },
    mlp: mlp.kind.name as DecoderConfig['mlp'],
    activation: mlp.kind.name === 'gelu_mlp' ? (name(mlp, 'act') as Activation) : 'silu',
    position: position.kind.name === 'rope' ? { kind: 'rope', theta: num(position, 'theta') } : { kind: 'learned' },
    tiedEmbeddings: bool(decoderPart, 'tied_embeddings'),
    attentionBias: bool(decoderPart, 'attention_bias'),
    mlpBias: bool(decoderPart, 'mlp_bias'),
    frozen: bool(decoderPart, 'frozen'),
  };

  const senses: Sense[] = parts.senses.map((senseParts, i) => {
    const input = must(senseParts.input, `${senseParts.sense.name}.input`);
    const encoderPart = must(senseParts.encoder, `${senseParts.sense.name}.encoder`);
    const projectorPart = must(senseParts.projector, `${senseParts.sense.name}.projector`);
    const derivation = senseTokens(senseParts);
    const encoder = liftEncoder(encoderPart);
    const placeholder = placeholders[i];
    return {
      name: senseParts.sense.name,
      input: liftInput(input),
      encoder,
      projector: liftProjector(projectorPart, encoder.hidden, hidden),
      token: { text: must(placeholder.text, `${senseParts.sense.name}.token`), id: placeholder.id, added: placeholder.added },
      tokens: must(derivation.tokens, `${senseParts.sense.name} tokens`),
      derivation: { steps: derivation.steps.map((s) => ({ label: s.label, value: s.value })) },
    };
  });

  const textTokens = must(readField(model.fields, modelBlock.fields, 'text_tokens'), 'text_tokens').value as number;
  const dtype = must(readField(model.fields, modelBlock.fields, 'dtype'), 'dtype').value as DType;
  return {
    id: model.id,
    name: model.name,
    decoder,
    senses,
    textTokens,
    sequenceLength: textTokens + senses.reduce((sum, s) => sum + s.tokens, 0),
    dtype,
    spans: spansOf(model),
  };
}

function liftInput(input: Part): SenseInput {
  switch (input.kind.name) {
    case 'image':
      return { kind: 'image', size: num(input, 'size'), channels: num(input, 'channels') };
    case 'video':
      return { kind: 'video', frames: num(input, 'frames'), size: num(input, 'size'), channels: num(input, 'channels') };
    default: {
      const samples = must(audioSamples(input), 'audio samples');
      return { kind: 'audio', seconds: samples.seconds, sampleRate: samples.sampleRate, samples: samples.samples };
    }
  }
}

function liftEncoder(part: Part): Encoder {
  const common = {
    preset: part.component.preset?.name,
    layers: num(part, 'layers'),
    hidden: num(part, 'hidden'),
    heads: num(part, 'heads'),
    ffn: num(part, 'ffn'),
    normEps: num(part, 'norm_eps'),
    frozen: bool(part, 'frozen'),
  };
  switch (part.kind.name) {
    case 'clip_vit':
    case 'siglip_vit': {
      const vit: VitEncoder = {
        family: part.kind.name,
        ...common,
        patch: num(part, 'patch'),
        imageSize: num(part, 'image_size'),
        channels: num(part, 'channels'),
        activation: name(part, 'act') as Activation,
        classToken: bool(part, 'class_token'),
        preNorm: bool(part, 'pre_norm'),
        selectLayer: num(part, 'select_layer'),
        layersUsed: must(layersUsed(part), 'layers used'),
        dropClassToken: bool(part, 'drop_cls'),
        poolStride: num(part, 'pool'),
      };
      return vit;
    }
    case 'whisper': {
      const whisper: WhisperEncoder = {
        family: 'whisper',
        ...common,
        melBins: num(part, 'mel_bins'),
        positions: num(part, 'positions'),
        hopLength: num(part, 'hop_length'),
        nFft: num(part, 'n_fft'),
        dropLastFrame: bool(part, 'drop_last_frame'),
      };
      return whisper;
    }
    default: {
      const beats: BeatsEncoder = {
        family: 'beats',
        ...common,
        melBins: num(part, 'mel_bins'),
        patch: num(part, 'patch'),
        embedDim: num(part, 'embed_dim'),
        convPosKernel: num(part, 'conv_pos_kernel'),
        convPosGroups: num(part, 'conv_pos_groups'),
        relPosBuckets: num(part, 'rel_pos_buckets'),
        maxDistance: num(part, 'max_distance'),
        frameShiftMs: num(part, 'frame_shift_ms'),
        frameLengthMs: num(part, 'frame_length_ms'),
      };
      return beats;
    }
  }
}

function liftProjector(part: Part, inputWidth: number, outputWidth: number): Projector {
  if (part.kind.name === 'affine') return { kind: 'affine', inputWidth, outputWidth, bias: bool(part, 'bias'), frozen: bool(part, 'frozen') };
  return {
    kind: 'mlp',
    depth: num(part, 'depth'),
    activation: name(part, 'act') as Activation,
    inputWidth,
    hiddenWidth: readNumber(part, 'hidden')?.value ?? outputWidth,
    outputWidth,
    bias: bool(part, 'bias'),
    frozen: bool(part, 'frozen'),
  };
}

/**
 * Spans by dotted path. Model-level paths as users write them (`decoder.layers`, `text_tokens`);
 * sense paths under `senses.` (`senses.vision.encoder.patch`); `model` is the declaration's name,
 * `senses.NAME` a sense block, `PATH.preset` the preset name of a component. Defaults have none.
 */
function spansOf(model: ResolvedModel): ReadonlyMap<string, Span> {
  const spans = new Map<string, Span>();
  spans.set('model', model.origin.span);
  for (const sense of model.senses.values()) spans.set(`senses.${sense.name}`, sense.span);
  walkModel(model, {
    field({ path, sense, field }) {
      const key = sense === undefined ? path : `senses.${path}`;
      spans.set(key, field.value.span);
      const preset = asComponent(field.value)?.preset;
      if (preset !== undefined) spans.set(`${key}.preset`, preset.span);
    },
  });
  return spans;
}
