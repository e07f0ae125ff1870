/**
 * The vocabulary of the language as data: which blocks and component kinds exist, which fields
 * each has, the type and range of every field, and the defaults used when neither a preset nor
 * the user sets one. Rules read this table instead of hard-coding names, so "unknown field",
 * "wrong type" and "did you mean" stay consistent everywhere.
 */

export type Role = 'decoder' | 'norm' | 'decoderMlp' | 'position' | 'input' | 'encoder' | 'projector';

export type ValueType =
  /** An integer in [min, max]. */
  | { readonly kind: 'integer'; readonly min: number; readonly max?: number }
  /** A finite number, optionally bounded below (exclusively or inclusively). */
  | { readonly kind: 'number'; readonly greaterThan?: number; readonly atLeast?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string'; readonly nonEmpty: boolean }
  /** A bare name from a closed set: `gelu`, `bfloat16`. */
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** A nested component (`rmsnorm(eps: 1e-5)`, `swiglu`) of the given role. */
  | { readonly kind: 'component'; readonly role: Role };

export type Constant = number | boolean | string;

export interface FieldSpec {
  readonly name: string;
  readonly type: ValueType;
  /** Used when neither a preset nor the user sets the field. */
  readonly default?: Constant;
  /** Must come from a preset or the user (no default, no derivation). */
  readonly required?: boolean;
  /** What the field means, for messages and documentation. */
  readonly doc: string;
}

export interface KindSpec {
  readonly name: string;
  readonly doc: string;
  /** Whether a first positional string argument names a preset (`clip_vit("ViT-L/14")`). */
  readonly presets: boolean;
  readonly fields: readonly FieldSpec[];
}

export interface RoleSpec {
  readonly role: Role;
  /** How messages name this role: `decoder family`, `encoder family`, `norm`. */
  readonly label: string;
  readonly kinds: readonly KindSpec[];
  /** The kind assumed when a merged block never named one (none: the kind is required). */
  readonly defaultKind?: string;
}

/** Where a block sits, for plain blocks that have no kind (the model body and senses). */
export interface BlockSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

export const activations = ['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu'] as const;
export const dtypes = ['float32', 'float16', 'bfloat16'] as const;

const positiveInteger: ValueType = { kind: 'integer', min: 1 };
const nonNegativeInteger: ValueType = { kind: 'integer', min: 0 };
const positiveNumber: ValueType = { kind: 'number', greaterThan: 0 };
const boolean: ValueType = { kind: 'boolean' };
const activation: ValueType = { kind: 'enum', values: activations };

function field(name: string, type: ValueType, doc: string, extra: { default?: Constant; required?: boolean } = {}): FieldSpec {
  return { name, type, doc, ...extra };
}

// ---- decoder ------------------------------------------------------------------------------------

function decoderFields(defaults: { tied: boolean; bias: boolean }): FieldSpec[] {
  return [
    field('layers', positiveInteger, 'transformer blocks', { required: true }),
    field('hidden', positiveInteger, 'model width', { required: true }),
    field('heads', positiveInteger, 'attention heads', { required: true }),
    field('kv_heads', positiveInteger, 'key/value heads (grouped-query attention); defaults to `heads`'),
    field('ffn', positiveInteger, 'inner width of the MLP', { required: true }),
    field('vocab', positiveInteger, 'base vocabulary size of the checkpoint', { required: true }),
    field('context', positiveInteger, 'longest sequence (positions)', { required: true }),
    field('norm', { kind: 'component', role: 'norm' }, 'normalisation layers'),
    field('mlp', { kind: 'component', role: 'decoderMlp' }, 'MLP kind'),
    field('position', { kind: 'component', role: 'position' }, 'position encoding'),
    field('tied_embeddings', boolean, 'output head shares the token embedding', { default: defaults.tied }),
    field('attention_bias', boolean, 'biases on q/k/v/o projections', { default: defaults.bias }),
    field('mlp_bias', boolean, 'biases on MLP projections', { default: defaults.bias }),
    field('frozen', boolean, 'the decoder receives no gradients', { default: false }),
  ];
}

const decoderRole: RoleSpec = {
  role: 'decoder',
  label: 'decoder family',
  kinds: [
    { name: 'llama', doc: 'LLaMA-style: RMSNorm, SwiGLU, RoPE, no biases', presets: true, fields: decoderFields({ tied: false, bias: false }) },
    { name: 'gpt2', doc: 'GPT-2-style: LayerNorm, GELU MLP, learned positions, biases, tied head', presets: true, fields: decoderFields({ tied: true, bias: true }) },
  ],
};

const normRole: RoleSpec = {
  role: 'norm',
  label: 'norm',
  kinds: [
    { name: 'rmsnorm', doc: 'root-mean-square norm', presets: false, fields: [field('eps', positiveNumber, 'added to the variance', { default: 1e-5 })] },
    { name: 'layernorm', doc: 'layer norm with bias', presets: false, fields: [field('eps', positiveNumber, 'added to the variance', { default: 1e-5 })] },
  ],
};

const decoderMlpRole: RoleSpec = {
  role: 'decoderMlp',
  label: 'decoder MLP',
  kinds: [
    { name: 'swiglu', doc: 'gate and up projections, SiLU, down projection', presets: false, fields: [] },
    { name: 'gelu_mlp', doc: 'fc, activation, projection', presets: false, fields: [field('act', activation, 'activation', { default: 'gelu_tanh' })] },
  ],
};

const positionRole: RoleSpec = {
  role: 'position',
  label: 'position encoding',
  kinds: [
    { name: 'rope', doc: 'rotary position embedding', presets: false, fields: [field('theta', positiveNumber, 'rotary base', { default: 10000 })] },
    { name: 'learned', doc: 'a learned table of `context` positions', presets: false, fields: [] },
  ],
};

// ---- inputs -------------------------------------------------------------------------------------

const inputRole: RoleSpec = {
  role: 'input',
  label: 'input kind',
  kinds: [
    {
      name: 'image',
      doc: 'one square image',
      presets: false,
      fields: [field('size', positiveInteger, 'side in pixels', { required: true }), field('channels', positiveInteger, 'colour channels', { default: 3 })],
    },
    {
      name: 'video',
      doc: 'square frames sampled from a clip',
      presets: false,
      fields: [
        field('frames', positiveInteger, 'frames per clip', { required: true }),
        field('size', positiveInteger, 'side in pixels', { required: true }),
        field('channels', positiveInteger, 'colour channels', { default: 3 }),
      ],
    },
    {
      name: 'audio',
      doc: 'a mono waveform',
      presets: false,
      fields: [
        field('seconds', positiveNumber, 'clip length in seconds', { required: true }),
        field('sample_rate', positiveInteger, 'samples per second', { default: 16000 }),
      ],
    },
  ],
};

// ---- encoders -----------------------------------------------------------------------------------

/** The transformer shape every encoder family states (from a preset or the spec). */
function encoderCoreFields(): FieldSpec[] {
  return [
    field('layers', positiveInteger, 'transformer blocks', { required: true }),
    field('hidden', positiveInteger, 'width', { required: true }),
    field('heads', positiveInteger, 'attention heads', { required: true }),
    field('ffn', positiveInteger, 'inner width of the MLP', { required: true }),
  ];
}

function vitFields(defaults: { act: string; eps: number; classToken: boolean; preNorm: boolean }): FieldSpec[] {
  return [
    ...encoderCoreFields(),
    field('patch', positiveInteger, 'square patch side in pixels', { required: true }),
    field('image_size', positiveInteger, 'image side the position table was trained for', { required: true }),
    field('channels', positiveInteger, 'colour channels', { default: 3 }),
    field('act', activation, 'MLP activation', { default: defaults.act }),
    field('norm_eps', positiveNumber, 'LayerNorm epsilon', { default: defaults.eps }),
    field('class_token', boolean, 'a class embedding is prepended', { default: defaults.classToken }),
    field('pre_norm', boolean, 'a LayerNorm after the embeddings (CLIP `pre_layrnorm`)', { default: defaults.preNorm }),
    field('select_layer', { kind: 'integer', min: Number.MIN_SAFE_INTEGER }, 'layer whose output feeds the projector; -1 = last', { default: -1 }),
    field('drop_cls', boolean, 'drop the class token before the projector', { default: false }),
    field('pool', positiveInteger, 'average-pool stride over each frame\'s patch grid; 1 = none', { default: 1 }),
    field('frozen', boolean, 'the encoder receives no gradients', { default: false }),
  ];
}

const encoderRole: RoleSpec = {
  role: 'encoder',
  label: 'encoder family',
  kinds: [
    { name: 'clip_vit', doc: 'CLIP vision tower', presets: true, fields: vitFields({ act: 'quick_gelu', eps: 1e-5, classToken: true, preNorm: true }) },
    { name: 'siglip_vit', doc: 'SigLIP vision tower', presets: true, fields: vitFields({ act: 'gelu_tanh', eps: 1e-6, classToken: false, preNorm: false }) },
    {
      name: 'whisper',
      doc: 'Whisper audio encoder (log-mel, two convolutions, transformer)',
      presets: true,
      fields: [
        ...encoderCoreFields(),
        field('mel_bins', positiveInteger, 'mel filterbank channels', { default: 80 }),
        field('positions', positiveInteger, 'rows of the sinusoidal position table', { default: 1500 }),
        field('hop_length', positiveInteger, 'STFT hop in samples', { default: 160 }),
        field('n_fft', positiveInteger, 'STFT window in samples', { default: 400 }),
        field('norm_eps', positiveNumber, 'LayerNorm epsilon', { default: 1e-5 }),
        field('drop_last_frame', boolean, 'drop the last STFT frame, as openai/whisper does (30 s -> 3000 frames)', { default: false }),
        field('frozen', boolean, 'the encoder receives no gradients', { default: false }),
      ],
    },
    {
      name: 'beats',
      doc: 'BEATs audio encoder (fbank, 16x16 patches, transformer)',
      presets: true,
      fields: [
        ...encoderCoreFields(),
        field('mel_bins', positiveInteger, 'fbank mel bins', { default: 128 }),
        field('patch', positiveInteger, 'square patch over frames x mel bins', { default: 16 }),
        field('embed_dim', positiveInteger, 'patch embedding width before its projection', { required: true }),
        field('conv_pos_kernel', positiveInteger, 'kernel of the convolutional position embedding', { default: 128 }),
        field('conv_pos_groups', positiveInteger, 'groups of the convolutional position embedding', { default: 16 }),
        field('rel_pos_buckets', positiveInteger, 'relative position buckets', { default: 320 }),
        field('max_distance', positiveInteger, 'largest relative distance bucketed', { default: 1280 }),
        field('frame_shift_ms', positiveNumber, 'fbank frame shift in milliseconds', { default: 10 }),
        field('frame_length_ms', positiveNumber, 'fbank window in milliseconds', { default: 25 }),
        field('norm_eps', positiveNumber, 'LayerNorm epsilon', { default: 1e-5 }),
        field('frozen', boolean, 'the encoder receives no gradients', { default: false }),
      ],
    },
  ],
};

// ---- projectors ---------------------------------------------------------------------------------

const projectorRole: RoleSpec = {
  role: 'projector',
  label: 'projector kind',
  kinds: [
    {
      name: 'mlp',
      doc: 'linear layers with an activation between them',
      presets: false,
      fields: [
        field('depth', positiveInteger, 'number of linear layers', { default: 2 }),
        field('act', activation, 'activation between layers', { default: 'gelu' }),
        field('hidden', positiveInteger, 'width of the inner layers; defaults to the decoder width'),
        field('input', positiveInteger, 'input width; derived from the encoder'),
        field('output', positiveInteger, 'output width; derived from the decoder'),
        field('bias', boolean, 'linear layers have biases', { default: true }),
        field('frozen', boolean, 'the projector receives no gradients', { default: false }),
      ],
    },
    {
      name: 'affine',
      doc: 'one linear layer',
      presets: false,
      fields: [
        field('input', positiveInteger, 'input width; derived from the encoder'),
        field('output', positiveInteger, 'output width; derived from the decoder'),
        field('bias', boolean, 'the linear layer has a bias', { default: true }),
        field('frozen', boolean, 'the projector receives no gradients', { default: false }),
      ],
    },
  ],
};

export const roles: Readonly<Record<Role, RoleSpec>> = {
  decoder: decoderRole,
  norm: normRole,
  decoderMlp: decoderMlpRole,
  position: positionRole,
  input: inputRole,
  encoder: encoderRole,
  projector: projectorRole,
};

/** Model-level fields besides `sense NAME { ... }` blocks. */
export const modelBlock: BlockSpec = {
  name: 'model',
  fields: [
    field('decoder', { kind: 'component', role: 'decoder' }, 'the language model'),
    field('text_tokens', nonNegativeInteger, 'text tokens in the prompt budget', { default: 256 }),
    field('dtype', { kind: 'enum', values: dtypes }, 'storage type of weights and activations', { default: 'bfloat16' }),
  ],
};

export const senseBlock: BlockSpec = {
  name: 'sense',
  fields: [
    field('input', { kind: 'component', role: 'input' }, 'what the sense receives'),
    field('encoder', { kind: 'component', role: 'encoder' }, 'the tower that encodes it'),
    field('projector', { kind: 'component', role: 'projector' }, 'maps encoder features to the decoder width'),
    field('token', { kind: 'string', nonEmpty: true }, 'placeholder text in the prompt'),
    field('token_id', nonNegativeInteger, 'explicit id of the placeholder'),
  ],
};

/** The sense parts every sense must state. */
export const requiredSenseParts = ['input', 'encoder', 'projector', 'token'] as const;

export function kindSpec(role: Role, kind: string | undefined): KindSpec | undefined {
  if (kind === undefined) return undefined;
  return roles[role].kinds.find((k) => k.name === kind);
}

// Lookups by name are indexed once per field list (the schema is constant): the checker reads
// fields tens of times per model, and a sweep checks thousands of models.
const fieldIndexes = new WeakMap<readonly FieldSpec[], { readonly byName: ReadonlyMap<string, FieldSpec>; readonly names: readonly string[] }>();

function fieldIndex(fields: readonly FieldSpec[]): { readonly byName: ReadonlyMap<string, FieldSpec>; readonly names: readonly string[] } {
  let index = fieldIndexes.get(fields);
  if (index === undefined) {
    const byName = new Map<string, FieldSpec>();
    for (const f of fields) if (!byName.has(f.name)) byName.set(f.name, f);
    index = { byName, names: Object.freeze(fields.map((f) => f.name)) };
    fieldIndexes.set(fields, index);
  }
  return index;
}

/** The first spec named `name` in `fields`. */
export function fieldSpec(fields: readonly FieldSpec[], name: string): FieldSpec | undefined {
  return fieldIndex(fields).byName.get(name);
}

/** The names of `fields`, in order (one frozen array per field list). */
export function fieldNames(fields: readonly FieldSpec[]): readonly string[] {
  return fieldIndex(fields).names;
}

/** Which encoder families read which input kinds. */
export const encoderInputs: Readonly<Record<string, readonly string[]>> = {
  clip_vit: ['image', 'video'],
  siglip_vit: ['image', 'video'],
  whisper: ['audio'],
  beats: ['audio'],
};

/** Human description of a value type, for messages: "a positive integer". */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'integer':
      if (type.min === 1 && type.max === undefined) return 'a positive integer';
      if (type.min === 0 && type.max === undefined) return 'a non-negative integer';
      if (type.min === Number.MIN_SAFE_INTEGER) return 'an integer';
      return type.max === undefined ? `an integer >= ${type.min}` : `an integer in [${type.min}, ${type.max}]`;
    case 'number':
      if (type.greaterThan !== undefined) return `a number > ${type.greaterThan}`;
      if (type.atLeast !== undefined) return `a number >= ${type.atLeast}`;
      return 'a number';
    case 'boolean':
      return '`true` or `false`';
    case 'string':
      return type.nonEmpty ? 'a non-empty string' : 'a string';
    case 'enum':
      return `one of ${type.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'component':
      return `a ${roles[type.role].label} (${roles[type.role].kinds.map((k) => `\`${k.name}\``).join(', ')})`;
  }
}
