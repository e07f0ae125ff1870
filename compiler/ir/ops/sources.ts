/** Ops without operands: graph inputs, manifest weights, scalar constants, relative-position buckets. */
import { isCanonicalDim, formatShape } from '../dims.js';
import type { Shape } from '../types.js';
import { fail, fixedCategory, isFloat, requireDeclared, type OpSchema } from './schema.js';

function requireWellFormed(shape: Shape, what: string): void {
  for (const d of shape) if (!isCanonicalDim(d)) fail(`${what} has a malformed dim \`${String(d)}\` in ${formatShape(shape)}`);
}

const INT_ROLES = new Set(['input_ids', 'attention_mask', 'position_ids']);

export const input: OpSchema<'input'> = {
  arity: 0,
  infer(attrs, _operands, declared) {
    const t = requireDeclared(declared, 'input');
    requireWellFormed(t.shape, `input \`${attrs.name}\``);
    const wantInt = INT_ROLES.has(attrs.role);
    if (wantInt !== (t.dtype === 'int32')) fail(`input \`${attrs.name}\` (${attrs.role}) has dtype ${t.dtype}`);
    return t;
  },
  category: fixedCategory('injective'),
};

export const weight: OpSchema<'weight'> = {
  arity: 0,
  infer(attrs, _operands, _declared, ctx) {
    const spec = ctx.weights.get(attrs.name);
    if (spec === undefined) fail(`weight \`${attrs.name}\` is not in the manifest`);
    return { shape: spec.shape, dtype: spec.dtype };
  },
  category: fixedCategory('injective'),
};

export const constant: OpSchema<'constant'> = {
  arity: 0,
  infer(attrs, _operands, declared) {
    const t = requireDeclared(declared, 'constant');
    if (t.shape.length !== 0) fail(`constant must be a scalar, got ${formatShape(t.shape)}`);
    if (!isFloat(t.dtype)) fail(`constant must be a float, got ${t.dtype}`);
    if (!Number.isFinite(attrs.value)) fail(`constant ${attrs.value} is not finite`);
    return t;
  },
  category: fixedCategory('injective'),
};

export const rel_pos_buckets: OpSchema<'rel_pos_buckets'> = {
  arity: 0,
  infer(attrs) {
    const { length, buckets, maxDistance } = attrs;
    if (!Number.isSafeInteger(length) || length < 1) fail(`rel_pos_buckets length ${length} must be a positive integer`);
    if (!Number.isSafeInteger(buckets) || buckets < 4 || buckets % 2 !== 0) fail(`rel_pos_buckets needs an even bucket count ≥ 4, got ${buckets}`);
    if (!(maxDistance > buckets / 4)) fail(`rel_pos_buckets max distance ${maxDistance} must exceed buckets/4`);
    return { shape: [length, length], dtype: 'int32' };
  },
  category: fixedCategory('injective'),
};
