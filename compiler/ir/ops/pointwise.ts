/** Elementwise and broadcasting arithmetic, and activations. */
import { broadcastShapes, formatShape, shapesEqual } from '../dims.js';
import type { OpCategory } from '../types.js';
import { fail, fixedCategory, requireFloat, requireSameDtype, type OpSchema, type TensorType } from './schema.js';

function binaryCategory(operands: readonly TensorType[], output: TensorType): OpCategory {
  return operands.every((o) => shapesEqual(o.shape, output.shape)) ? 'elementwise' : 'broadcast';
}

function binary(name: string): OpSchema<'add' | 'sub' | 'mul' | 'div'> {
  return {
    arity: 2,
    infer(_attrs, [a, b]) {
      const dtype = requireSameDtype([a, b], name);
      requireFloat(a, `${name} operand`);
      const shape = broadcastShapes(a.shape, b.shape);
      if (shape === undefined) fail(`${name}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
      return { shape, dtype };
    },
    category: binaryCategory,
  };
}

export const add = binary('add') as OpSchema<'add'>;
export const sub = binary('sub') as OpSchema<'sub'>;
export const mul = binary('mul') as OpSchema<'mul'>;
export const div = binary('div') as OpSchema<'div'>;

const ACTIVATIONS = new Set(['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu', 'sigmoid', 'tanh']);

export const activation: OpSchema<'activation'> = {
  arity: 1,
  infer(attrs, [x]) {
    if (!ACTIVATIONS.has(attrs.fn)) fail(`unknown activation \`${String(attrs.fn)}\``);
    requireFloat(x, 'activation operand');
    return x;
  },
  category: fixedCategory('elementwise'),
};
