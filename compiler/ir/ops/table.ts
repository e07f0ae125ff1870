/** The op table: one schema per op kind (arity, type inference, fusion category). */
import { avg_pool2d, conv1d, conv2d, matmul } from './heavy.js';
import { broadcast_to, causal_mask, concat, gather, repeat, reshape, rope, slice, transpose } from './injective.js';
import { activation, add, div, mul, sub } from './pointwise.js';
import { layernorm, reduce_sum, rmsnorm, softmax, weight_norm } from './reduction.js';
import type { OpSchemas } from './schema.js';
import { constant, input, rel_pos_buckets, weight } from './sources.js';
import { zip } from './zip.js';

export const opSchemas: OpSchemas = {
  input,
  weight,
  constant,
  rel_pos_buckets,
  add,
  sub,
  mul,
  div,
  activation,
  matmul,
  conv1d,
  conv2d,
  avg_pool2d,
  layernorm,
  rmsnorm,
  weight_norm,
  softmax,
  reduce_sum,
  reshape,
  transpose,
  broadcast_to,
  concat,
  slice,
  repeat,
  gather,
  rope,
  causal_mask,
  zip,
};

