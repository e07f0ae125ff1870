/** Type inference of one node from its operands, dispatching on the op table. */
import type { OpAttrs, OpCategory, OpKind } from '../types.js';
import { opSchemas } from './table.js';
import { fail, type InferContext, type OpSchema, type TensorType } from './schema.js';

export interface InferredNode {
  readonly type: TensorType;
  readonly category: OpCategory;
}

export function inferNodeType<K extends OpKind>(
  op: K,
  attrs: OpAttrs[K],
  operands: readonly TensorType[],
  declared: TensorType | undefined,
  ctx: InferContext,
): InferredNode {
  const schema = opSchemas[op] as OpSchema<K> | undefined;
  if (schema === undefined) fail(`unknown op \`${String(op)}\``);
  const [min, max] = typeof schema.arity === 'number' ? [schema.arity, schema.arity] : schema.arity;
  if (operands.length < min || operands.length > max) fail(`${op} takes ${min === max ? min : `${min}..${max}`} operands, got ${operands.length}`);
  const type = schema.infer(attrs, operands, declared, ctx);
  return { type, category: schema.category(operands, type) };
}
