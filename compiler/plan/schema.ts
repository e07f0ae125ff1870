/**
 * The JSON Schema (draft-07) of plan.json, version 1. This object is the source; the published
 * copy is `plan.schema.json` beside this file (test/plan/plan-json-schema proves they are equal;
 * `mimo plan --schema` prints it). Bump PLAN_VERSION and `$id` together.
 */
import { PLAN_VERSION } from './types.js';

const nonNegInt = { type: 'integer', minimum: 0 } as const;
const posInt = { type: 'integer', minimum: 1 } as const;
const intArray = { type: 'array', items: nonNegInt } as const;
const num = { type: 'number' } as const;
const dtype = { enum: ['float32', 'float16', 'bfloat16', 'int32'] } as const;
const activation = { enum: ['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu', 'sigmoid', 'tanh'] } as const;
const normFn = { enum: ['layernorm', 'rmsnorm'] } as const;
const ref = (name: string): { $ref: string } => ({ $ref: `#/definitions/${name}` });
const strict = (properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties)): Record<string, unknown> => ({
  type: 'object',
  properties,
  required: [...required],
  additionalProperties: false,
});
const nullable = (schema: unknown): unknown => ({ oneOf: [{ type: 'null' }, schema] });

const KERNEL_KINDS = ['matmul', 'conv', 'attention', 'norm', 'elementwise', 'reduce', 'embed_zip', 'op'] as const;

export const planSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `urn:mimo:plan:v${PLAN_VERSION}`,
  title: 'mimo execution plan',
  description:
    'A fused execution plan for one model, mode and set of sizes: buffers (an arena plus persistent weights, prepared tensors and KV caches), load-time `prepare` kernels, the forward kernels in order with their strided operands, the memory plan and the cost model. See compiler/plan/README.md.',
  ...strict({
    format: { const: 'mimo-plan' },
    version: { const: PLAN_VERSION },
    model: { type: 'string' },
    mode: { enum: ['prefill', 'decode'] },
    dtype,
    bindings: strict({ batch: posInt, text: nonNegInt, seq: posInt, past: nonNegInt, queries: posInt }),
    target: { enum: ['h100', 'a100', 'l4', 'laptop', 'cpu'] },
    passes: { type: 'array', items: strict({ pass: { type: 'string' }, kernelsBefore: nonNegInt, kernelsAfter: nonNegInt }) },
    buffers: { type: 'array', items: ref('buffer') },
    inputs: { type: 'array', items: strict({ name: { type: 'string' }, role: { type: 'string' }, operand: ref('operand') }) },
    outputs: { type: 'array', items: strict({ name: { type: 'string' }, operand: ref('operand') }) },
    prepare: { type: 'array', items: ref('kernel') },
    kernels: { type: 'array', items: ref('kernel') },
    memory: strict({
      arenaBytes: nonNegInt,
      naiveBytes: nonNegInt,
      lowerBoundBytes: nonNegInt,
      alignment: posInt,
      inPlace: nonNegInt,
      weightBytes: nonNegInt,
      preparedBytes: nonNegInt,
      kvCacheBytes: nonNegInt,
    }),
    cost: strict({
      target: { type: 'string' },
      device: { type: 'string' },
      totalMs: num,
      unfusedMs: num,
      byClass: {
        type: 'object',
        propertyNames: ref('kernelClass'),
        additionalProperties: strict({ kernels: nonNegInt, flops: num, bytes: num, ms: num }),
      },
    }),
    summary: strict({
      ops_unfused: nonNegInt,
      kernels: nonNegInt,
      prepare_kernels: nonNegInt,
      bytes_unfused: nonNegInt,
      bytes_fused: nonNegInt,
      flops: num,
      arena_bytes: nonNegInt,
      naive_bytes: nonNegInt,
      lower_bound_bytes: nonNegInt,
      weight_bytes: nonNegInt,
      kv_cache_bytes: nonNegInt,
      estimated_ms: num,
      unfused_estimated_ms: num,
    }),
  }),
  definitions: {
    kernelClass: { enum: ['matmul', 'attention', 'conv', 'norm', 'elementwise', 'reduction', 'data_movement'] },
    view: strict({ shape: intArray, strides: { type: 'array', items: { type: 'integer' } }, offset: nonNegInt }),
    operand: strict({ buffer: nonNegInt, shape: intArray, view: ref('view'), role: { type: 'string' } }),
    buffer: strict(
      {
        id: nonNegInt,
        name: { type: 'string' },
        kind: { enum: ['input', 'weight', 'prepared', 'constant', 'kv_cache', 'activation', 'output'] },
        dtype,
        shape: intArray,
        bytes: nonNegInt,
        offset: nonNegInt,
        live: { type: 'array', items: { type: 'integer', minimum: -1 }, minItems: 2, maxItems: 2 },
        inPlaceOf: nonNegInt,
        weight: { type: 'string' },
        role: { type: 'string' },
        value: num,
        cache: strict({ layer: nonNegInt, tensor: { enum: ['key', 'value'] } }),
      },
      ['id', 'name', 'kind', 'dtype', 'shape', 'bytes'],
    ),
    instr: {
      oneOf: [
        strict({ op: { const: 'load' }, input: nonNegInt }),
        strict({ op: { const: 'acc' }, part: nonNegInt }),
        strict({ op: { const: 'const' }, value: num }),
        strict({ op: { enum: ['add', 'sub', 'mul', 'div'] }, a: nonNegInt, b: nonNegInt }),
        strict({ op: { const: 'activation' }, fn: activation, a: nonNegInt }),
      ],
    },
    program: { type: 'array', items: ref('instr'), minItems: 1 },
    cost: strict({ flops: num, bytes: num, ms: num, bound: { enum: ['compute', 'memory', 'launch'] } }),
    kernel: {
      ...strict({
        id: nonNegInt,
        kind: { enum: [...KERNEL_KINDS] },
        class: ref('kernelClass'),
        label: { type: 'string' },
        scope: { type: 'string' },
        inputs: { type: 'array', items: ref('operand') },
        outputs: { type: 'array', items: ref('operand'), minItems: 1 },
        params: { type: 'object' },
        ir: intArray,
        cost: ref('cost'),
      }),
      allOf: KERNEL_KINDS.map((kind) => ({ if: { properties: { kind: { const: kind } } }, then: { properties: { params: ref(`${kind}Params`) } } })),
    },
    matmulParams: strict({
      transposeA: { type: 'boolean' },
      transposeB: { type: 'boolean' },
      m: posInt,
      n: posInt,
      k: posInt,
      batch: posInt,
      prologue: nullable(strict({ fn: normFn, eps: num, gamma: nonNegInt, beta: nullable(nonNegInt) })),
      parts: { type: 'array', minItems: 1, items: strict({ name: { type: 'string' }, start: nonNegInt, end: posInt }) },
      outputs: {
        type: 'array',
        minItems: 1,
        items: strict({
          width: posInt,
          program: ref('program'),
          rope: nullable(strict({ positions: nonNegInt, theta: num, rotaryDim: posInt, headDim: posInt })),
        }),
      },
    }),
    convParams: strict({
      dims: { enum: [1, 2] },
      stride: { type: 'array', items: posInt },
      padding: intArray,
      groups: posInt,
      bias: { type: 'boolean' },
      program: ref('program'),
    }),
    attentionParams: strict({
      batch: posInt,
      heads: posInt,
      kvHeads: posInt,
      group: posInt,
      queries: posInt,
      keys: posInt,
      headDim: posInt,
      valueDim: posInt,
      scale: num,
      blockSize: posInt,
      bias: nullable(nonNegInt),
      causal: nullable(strict({ attentionMask: nonNegInt, negative: num, queryOffset: nonNegInt })),
    }),
    normParams: strict({
      fn: normFn,
      eps: num,
      rows: posInt,
      width: posInt,
      prologue: ref('program'),
      gamma: nonNegInt,
      beta: nullable(nonNegInt),
      writeSum: { type: 'boolean' },
    }),
    elementwiseParams: strict({ program: ref('program') }),
    reduceParams: strict({ axes: intArray, keepDims: { type: 'boolean' }, program: ref('program') }),
    embed_zipParams: strict({
      placeholders: { type: 'array', items: strict({ sense: { type: 'string' }, tokenId: nonNegInt, tokens: posInt }) },
    }),
    opParams: strict({ op: { type: 'string' }, attrs: { type: 'object' } }),
  },
} as const;

/** The published text of the schema (what plan.schema.json holds). */
export function planSchemaText(): string {
  return `${JSON.stringify(planSchema, null, 2)}\n`;
}
