/**
 * Assembles one model's TypeScript module with ts-morph: imports, the configuration `as const`,
 * the weight manifest, shape-typed input/output interfaces, the loaded-weights interfaces and a
 * model class (`load`, `forward`, one `encode<Sense>` per sense, `dispose`). Every spec string
 * enters the text through `literals.ts`, every spec name through `identifiers.ts`.
 */
import { IndentationText, NewLineKind, Project, QuoteKind, Scope, type OptionalKind, type PropertySignatureStructure } from 'ts-morph';
import type { Graph } from '../ir/types.js';
import type { CheckedModel, Sense } from '../model/types.js';
import { emitDecoder } from './decoder.js';
import { EmitContext, MODULE_NAMES, RUNTIME_NAMES } from './emitContext.js';
import { NameAllocator, mangleIdentifier, pascalCase } from './identifiers.js';
import { commentText, numberLiteral, stringLiteral, valueLiteral, type PlainValue } from './literals.js';
import { emitSense, type SenseCode } from './senses.js';

export interface ModelModuleOptions {
  /** Module specifier of mimo's runtime in the generated imports. */
  readonly runtimeImport: string;
  /** Module specifier of the shared `support.ts` (without extension mapping: `./support.js`). */
  readonly supportImport: string;
  /** Spec path named in the header comment. */
  readonly specPath: string | undefined;
}

export interface ModelModule {
  readonly className: string;
  readonly inputsName: string;
  readonly outputsName: string;
  /** The inputs property of each sense, in declaration order. */
  readonly senseKeys: readonly string[];
  readonly text: string;
}

/** The checked model minus spans and derivations: what `config` holds. */
export function configValue(model: CheckedModel): PlainValue {
  // fromEntries makes own properties for every name, `__proto__` included.
  const senses = Object.fromEntries(
    model.senses.map((s) => [
      s.name,
      {
        input: s.input as unknown as PlainValue,
        encoder: s.encoder as unknown as PlainValue,
        projector: s.projector as unknown as PlainValue,
        token: s.token as unknown as PlainValue,
        tokens: s.tokens,
      },
    ]),
  ) as Record<string, PlainValue>;
  return {
    id: model.id,
    name: model.name,
    decoder: model.decoder as unknown as PlainValue,
    senses,
    textTokens: model.textTokens,
    sequenceLength: model.sequenceLength,
    dtype: model.dtype,
  };
}

/** The manifest, one entry per line: `{ name, shape, init, std?, used, frozen }`. */
function manifestText(graph: Graph): string {
  const entries = graph.weights.map((w) => {
    const std = w.init.kind === 'normal' ? `, std: ${numberLiteral(w.init.std)}` : '';
    return `  { name: ${stringLiteral(w.name)}, shape: [${w.shape.join(', ')}], init: '${w.init.kind}'${std}, used: ${w.used}, frozen: ${w.frozen} },`;
  });
  return entries.length === 0 ? '[]' : `[\n${entries.join('\n')}\n]`;
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function describeInput(s: Sense): string {
  const i = s.input;
  if (i.kind === 'video') return `video ${i.frames} x ${i.size} px`;
  if (i.kind === 'image') return `image ${i.size} px`;
  return `audio ${i.seconds} s at ${i.sampleRate} Hz`;
}

export function emitModelModule(model: CheckedModel, graph: Graph, options: ModelModuleOptions): ModelModule {
  const ctx = new EmitContext();
  const moduleNames = new NameAllocator([...RUNTIME_NAMES, ...MODULE_NAMES]);
  const base = pascalCase(model.id);
  const className = moduleNames.allocate(base);
  const inputsName = moduleNames.allocate(`${className}Inputs`);
  const outputsName = moduleNames.allocate(`${className}Outputs`);
  const weightsName = moduleNames.allocate(`${className}Weights`);
  const decoderWeightsName = moduleNames.allocate(`${className}DecoderWeights`);

  const keys = new NameAllocator(['inputIds', 'attentionMask', 'decoder']);
  const members = new NameAllocator(['forward', 'nextTokenLogits', 'zip', 'decode', 'head', 'load', 'dispose', 'weights', 'config', 'manifest']);
  const senses: SenseCode[] = model.senses.map((s) => {
    const key = keys.allocate(mangleIdentifier(s.name, 'sense'));
    const names = {
      key,
      method: members.allocate(`encode${pascalCase(s.name, 'Sense')}`),
      weightsInterface: moduleNames.allocate(`${className}${pascalCase(s.name, 'Sense')}Weights`),
    };
    return emitSense(ctx, s, names, model.decoder.hidden);
  });
  const decoder = emitDecoder(ctx, model.decoder);
  ctx.use('zipMultimodalInputs');
  ctx.useType('ZipperOutputs');
  ctx.useType('WeightSource');

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: NewLineKind.LineFeed },
  });
  const d = model.decoder;
  const params = graph.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const header = [
    `${commentText(model.id)}: generated by mimo${options.specPath === undefined ? '' : ` from ${commentText(options.specPath)}`}.`,
    'Plain TypeScript over mimo\'s runtime: read it, edit it; `mimo build` writes it afresh.',
    '',
    `Decoder: ${d.family}, ${d.layers} layers, hidden ${d.hidden}, ${d.heads} heads (${d.kvHeads} kv), vocabulary ${d.vocabTotal}.`,
    ...(model.senses.length === 0 ? [] : ['Senses, zipped into the prompt where their placeholder stands:']),
    ...model.senses.map((s) => `- ${commentText(s.name)}: ${describeInput(s)} → ${s.encoder.family} → ${s.projector.kind} projector: ${s.tokens} embeddings at ${commentText(s.token.text)} (id ${s.token.id})`),
    `Weights: ${group(params)} parameters in ${graph.weights.length} tensors, by Hugging Face name in \`manifest\`.`,
  ];
  // The preamble is plain text (ts-morph then appends the declarations): one import per line.
  const runtimeNames = ctx.imports().map((i) => `  ${i.isTypeOnly ? 'type ' : ''}${i.name},`);
  const preamble = [
    ['/**', ...header.map((l) => (l === '' ? ' *' : ` * ${l}`)), ' */'].join('\n'),
    `import {\n${runtimeNames.join('\n')}\n} from ${stringLiteral(options.runtimeImport)};`,
    `import { shaped, type Dims, type ForwardOptions, type Tensor } from ${stringLiteral(options.supportImport)};`,
    '',
    '/** The checked model this code was generated from. */',
    `export const config = ${valueLiteral(configValue(model))} as const;`,
    '',
    '/** Every checkpoint tensor: Hugging Face name, shape, seeded-initialisation hint (`initWeights`), whether `forward` reads it. */',
    `export const manifest = ${manifestText(graph)} as const;`,
    '',
  ].join('\n');
  const file = project.createSourceFile('/model.ts', preamble);

  const vocab = d.vocabTotal;
  const inputProps: OptionalKind<PropertySignatureStructure>[] = [
    {
      name: 'inputIds',
      isReadonly: true,
      type: "Tensor<['batch', 'promptLength']>",
      docs: ['Prompt token ids (int32). With the default `expand` convention each placeholder id stands for one whole sense input.'],
    },
    { name: 'attentionMask', isReadonly: true, hasQuestionToken: true, type: "Tensor<['batch', 'promptLength']>", docs: ['1 for real tokens, 0 for padding (int32); default all ones.'] },
    ...senses.map((s) => ({ name: s.key, isReadonly: true, type: `Tensor<${s.inputShape}>`, docs: [s.inputDoc] })),
  ];
  file.addInterface({ name: inputsName, isExported: true, docs: [`What \`${className}.forward\` reads. \`batch\` and \`promptLength\` are fixed per call; other sizes by the spec.`], properties: inputProps });
  file.addInterface({
    name: outputsName,
    isExported: true,
    docs: ['What `forward` returns. `seq` is the zipped length: text plus every sense\'s embeddings.'],
    properties: [
      { name: 'logits', isReadonly: true, type: `Tensor<['batch', 'seq', ${vocab}]>`, docs: ['Next-token logits at every position.'] },
      { name: 'attentionMask', isReadonly: true, type: "Tensor<['batch', 'seq']>", docs: ['1 for real positions, 0 for padding (rows are right-padded).'] },
    ],
  });
  for (const s of senses) {
    file.addInterface({
      name: s.weightsInterface,
      isExported: true,
      docs: [`Loaded weights of the \`${s.key}\` sense, prepared by the runtime loaders.`],
      properties: s.weightFields.map(([name, type, doc]) => ({ name, type, isReadonly: true, docs: [commentText(doc)] })),
    });
  }
  file.addInterface({
    name: decoderWeightsName,
    isExported: true,
    docs: ['Loaded weights of the decoder.'],
    properties: decoder.fields.map(([name, type, doc]) => ({ name, type, isReadonly: true, docs: [commentText(doc)] })),
  });
  file.addInterface({
    name: weightsName,
    isExported: true,
    docs: ['Every loaded weight, owned by the model (`dispose` frees them).'],
    properties: [
      ...senses.map((s) => ({ name: s.key, type: s.weightsInterface, isReadonly: true })),
      { name: 'decoder', type: decoderWeightsName, isReadonly: true },
    ],
  });

  const indent = (text: string, by: string): string => text.split('\n').map((l) => (l === '' ? l : `${by}${l}`)).join('\n');
  const loadBody = [
    decoder.prelude,
    `return new ${className}({`,
    ...senses.map((s) => `  ${s.key}: {\n${indent(s.load, '    ')}\n  },`),
    `  decoder: {\n${indent(decoder.load, '    ')}\n  },`,
    '});',
  ].join('\n');
  const zipSenses = senses.map((s) => {
    const token = `${s.config}.token`;
    return `    { name: ${stringLiteral(s.key)}, token: ${token}.text, tokenId: ${token}.id, embeddings: this.${s.method}(inputs.${s.key}, dims), layout: 'per-row' },`;
  });
  const checkPrompt = [
    'const dims: Dims = new Map();',
    "shaped(inputs.inputIds, ['batch', 'promptLength'], dims, 'inputIds');",
    "if (inputs.attentionMask !== undefined) shaped(inputs.attentionMask, ['batch', 'promptLength'], dims, 'attentionMask');",
  ];
  const forwardBody = [
    ...checkPrompt,
    'const [logits, attentionMask] = tf.tidy(() => {',
    '  const zipped = this.zip(inputs, dims, options);',
    '  const hidden = this.decode(zipped.embeddings, paddingMask(zipped), zipped.positionIds);',
    '  return [this.head(hidden), zipped.attentionMask] as [tf.Tensor3D, tf.Tensor2D];',
    '});',
    'return {',
    `  logits: shaped(logits, ['batch', 'seq', ${vocab}], dims, 'logits'),`,
    "  attentionMask: shaped(attentionMask, ['batch', 'seq'], dims, 'attentionMask'),",
    '};',
  ].join('\n');
  const nextTokenBody = [
    ...checkPrompt,
    'const logits = tf.tidy(() => {',
    '  const zipped = this.zip(inputs, dims, options);',
    '  const hidden = this.decode(zipped.embeddings, paddingMask(zipped), zipped.positionIds);',
    '  // Rows are left-aligned by the zipper: the last real position is (real length - 1). The rows',
    '  // are gathered from the flattened [batch * seq, hidden] (tfjs-wasm mishandles batchDims).',
    '  const [batch, length, width] = hidden.shape;',
    "  const last = tf.sub(tf.cast(tf.sum(zipped.attentionMask, 1), 'int32'), tf.scalar(1, 'int32'));",
    "  const rows = tf.add(tf.mul(tf.range(0, batch, 1, 'int32'), tf.scalar(length, 'int32')), last);",
    '  return this.head(tf.gather(tf.reshape(hidden, [batch * length, width]), rows)) as tf.Tensor2D;',
    '});',
    `return shaped(logits, ['batch', ${vocab}], dims, 'logits');`,
  ].join('\n');
  const zipBody = [
    'return zipMultimodalInputs({',
    '  tokenIds: inputs.inputIds,',
    '  attentionMask: inputs.attentionMask,',
    '  embed: this.weights.decoder.embedTokens,',
    ...(zipSenses.length === 0 ? ['  senses: [],'] : ['  senses: [', ...zipSenses, '  ],']),
    "  convention: options.convention ?? 'expand',",
    '});',
  ].join('\n');
  file.addClass({
    name: className,
    isExported: true,
    docs: [`${commentText(model.id)}: load with \`${className}.load(source)\`, run with \`forward\`.`],
    properties: [
      { name: 'config', isStatic: true, isReadonly: true, initializer: 'config', docs: ['The checked model this code was generated from.'] },
      { name: 'manifest', isStatic: true, isReadonly: true, initializer: 'manifest', docs: ['Every checkpoint tensor by Hugging Face name.'] },
    ],
    ctors: [{ scope: Scope.Private, parameters: [{ name: 'weights', isReadonly: true, type: weightsName, scope: Scope.Private }], docs: ['Use `load`; this takes weights already prepared.'] }],
    methods: [
      {
        name: 'load',
        isStatic: true,
        parameters: [{ name: 'source', type: 'WeightSource' }],
        returnType: className,
        docs: ['Reads every weight `forward` uses from `source` by its Hugging Face name (shapes checked) and prepares it for the runtime.'],
        statements: loadBody,
      },
      {
        name: 'forward',
        parameters: [
          { name: 'inputs', type: inputsName },
          { name: 'options', type: 'ForwardOptions', initializer: '{}' },
        ],
        returnType: outputsName,
        docs: ['Encodes every sense, zips the embeddings into the prompt where the placeholders stand, runs the decoder: logits at every position.'],
        statements: forwardBody,
      },
      {
        name: 'nextTokenLogits',
        parameters: [
          { name: 'inputs', type: inputsName },
          { name: 'options', type: 'ForwardOptions', initializer: '{}' },
        ],
        returnType: `Tensor<['batch', ${vocab}]>`,
        docs: ["As `forward`, but only the logits after each row's last real token (what generation needs), without the [batch, seq, vocab] head product."],
        statements: nextTokenBody,
      },
      ...senses.map((s) => ({
        name: s.method,
        parameters: [
          { name: 'media', type: `Tensor<${s.inputShape}>` },
          { name: 'dims', type: 'Dims', initializer: 'new Map()' },
        ],
        returnType: `Tensor<${s.outputShape}>`,
        docs: [s.methodDoc],
        statements: s.encode,
      })),
      {
        name: 'zip',
        scope: Scope.Private,
        parameters: [
          { name: 'inputs', type: inputsName },
          { name: 'dims', type: 'Dims' },
          { name: 'options', type: 'ForwardOptions' },
        ],
        returnType: 'ZipperOutputs',
        docs: ["Each sense's embeddings written where its placeholder stands; text embedded from the token table."],
        statements: zipBody,
      },
      {
        name: 'decode',
        scope: Scope.Private,
        parameters: [
          { name: 'embeddings', type: 'tf.Tensor3D' },
          { name: 'attentionMask', type: 'tf.Tensor2D | undefined' },
          { name: 'positionIds', type: 'tf.Tensor2D' },
        ],
        returnType: 'tf.Tensor3D',
        docs: ['The decoder blocks and final norm on zipped embeddings [batch, seq, hidden]; `attentionMask` only when a row is padded.'],
        statements: decoder.decode,
      },
      {
        name: 'head',
        scope: Scope.Private,
        parameters: [{ name: 'hidden', type: 'tf.Tensor' }],
        returnType: 'tf.Tensor',
        docs: ['The language-model head: [..., hidden] → [..., vocab].'],
        statements: decoder.head,
      },
      {
        name: 'dispose',
        returnType: 'void',
        docs: ['Frees every weight tensor.'],
        // tf.dispose walks any nesting of objects and arrays; the cast only widens the static type.
        statements: 'tf.dispose(this.weights as unknown as tf.TensorContainer);',
      },
    ],
  });
  file.addFunction({
    name: 'paddingMask',
    parameters: [{ name: 'zipped', type: 'ZipperOutputs' }],
    returnType: 'tf.Tensor2D | undefined',
    docs: ["The zipper's attention mask when some row is padded; undefined when none is (causal masking alone then gives the same result, and is cheaper)."],
    statements: 'return zipped.plan.rowLengths.every((n) => n === zipped.plan.length) ? undefined : zipped.attentionMask;',
  });
  return { className, inputsName, outputsName, senseKeys: senses.map((s) => s.key), text: file.getFullText() };
}
