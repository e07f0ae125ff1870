/** Injective ops: data movement with index-computable reads (views, copies, lookups, rotary, masks). */
import { broadcastShapes, dimsEqual, formatShape, isCanonicalDim, mulDims, normaliseAxis, numElements, shapesEqual } from '../dims.js';
import type { Dim } from '../types.js';
import { fail, fixedCategory, isFloat, requireConcrete, requireDeclared, requireFloat, requireInt, requireSameDtype, type OpSchema } from './schema.js';

export const reshape: OpSchema<'reshape'> = {
  arity: 1,
  infer(_attrs, [x], declared) {
    const t = requireDeclared(declared, 'reshape');
    for (const d of t.shape) if (!isCanonicalDim(d)) fail(`reshape target has a malformed dim \`${String(d)}\``);
    if (!dimsEqual(numElements(x.shape), numElements(t.shape))) fail(`reshape ${formatShape(x.shape)} -> ${formatShape(t.shape)} changes the element count`);
    return { shape: t.shape, dtype: x.dtype };
  },
  category: fixedCategory('injective'),
};

export const transpose: OpSchema<'transpose'> = {
  arity: 1,
  infer(attrs, [x]) {
    const perm = attrs.perm;
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.shape.length || sorted.some((p, i) => p !== i)) fail(`transpose perm [${perm.join(', ')}] is not a permutation of rank ${x.shape.length}`);
    return { shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
  },
  category: fixedCategory('injective'),
};

export const broadcast_to: OpSchema<'broadcast_to'> = {
  arity: 1,
  infer(_attrs, [x], declared) {
    const t = requireDeclared(declared, 'broadcast_to');
    const b = broadcastShapes(x.shape, t.shape);
    if (b === undefined || !shapesEqual(b, t.shape)) fail(`cannot broadcast ${formatShape(x.shape)} to ${formatShape(t.shape)}`);
    return { shape: t.shape, dtype: x.dtype };
  },
  category: fixedCategory('broadcast'),
};

export const concat: OpSchema<'concat'> = {
  arity: [1, Infinity],
  infer(attrs, operands) {
    const dtype = requireSameDtype(operands, 'concat');
    const first = operands[0].shape;
    const axis = normaliseAxis(attrs.axis, first.length);
    if (axis === undefined || attrs.axis !== axis) fail(`concat axis ${attrs.axis} must be non-negative and in range for ${formatShape(first)}`);
    let total = 0;
    for (const o of operands) {
      if (o.shape.length !== first.length || o.shape.some((d, i) => i !== axis && !dimsEqual(d, first[i]))) {
        fail(`concat operands ${formatShape(first)} and ${formatShape(o.shape)} differ off axis ${axis}`);
      }
      total += requireConcrete(o.shape[axis], 'concat axis size');
    }
    return { shape: first.map((d, i) => (i === axis ? total : d)), dtype };
  },
  category: fixedCategory('injective'),
};

export const slice: OpSchema<'slice'> = {
  arity: 1,
  infer(attrs, [x]) {
    const axis = normaliseAxis(attrs.axis, x.shape.length);
    if (axis === undefined || attrs.axis !== axis) fail(`slice axis ${attrs.axis} must be non-negative and in range for ${formatShape(x.shape)}`);
    const size = requireConcrete(x.shape[axis], 'sliced axis');
    const { start, end } = attrs;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= size)) fail(`slice [${start}, ${end}) is out of range for size ${size}`);
    return { shape: x.shape.map((d, i) => (i === axis ? end - start : d)), dtype: x.dtype };
  },
  category: fixedCategory('injective'),
};

export const repeat: OpSchema<'repeat'> = {
  arity: 1,
  infer(attrs, [x]) {
    const axis = normaliseAxis(attrs.axis, x.shape.length);
    if (axis === undefined || attrs.axis !== axis) fail(`repeat axis ${attrs.axis} out of range for ${formatShape(x.shape)}`);
    if (!Number.isSafeInteger(attrs.times) || attrs.times < 1) fail(`repeat times ${attrs.times} must be a positive integer`);
    return { shape: x.shape.map((d, i) => (i === axis ? mulDims(d, attrs.times) : d)), dtype: x.dtype };
  },
  category: fixedCategory('injective'),
};

export const gather: OpSchema<'gather'> = {
  arity: 2,
  infer(_attrs, [table, indices]) {
    requireInt(indices, 'gather indices');
    if (table.shape.length < 1) fail('gather table must have rank ≥ 1');
    return { shape: [...indices.shape, ...table.shape.slice(1)], dtype: table.dtype };
  },
  category: fixedCategory('injective'),
};

export const rope: OpSchema<'rope'> = {
  arity: 2,
  infer(attrs, [x, positions]) {
    requireFloat(x, 'rope input');
    requireInt(positions, 'rope positions');
    if (x.shape.length !== 4 || positions.shape.length !== 2) fail(`rope needs x [batch, heads, seq, dim] and positions [batch, seq], got ${formatShape(x.shape)} and ${formatShape(positions.shape)}`);
    if (!dimsEqual(x.shape[0], positions.shape[0]) || !dimsEqual(x.shape[2], positions.shape[1])) fail(`rope positions ${formatShape(positions.shape)} do not match ${formatShape(x.shape)}`);
    const d = requireConcrete(x.shape[3], 'rope head dim');
    if (!(attrs.rotaryDim > 0 && attrs.rotaryDim % 2 === 0 && attrs.rotaryDim <= d)) fail(`rope rotary dim ${attrs.rotaryDim} must be even and ≤ ${d}`);
    if (!(attrs.theta > 0)) fail(`rope theta ${attrs.theta} must be positive`);
    return x;
  },
  category: fixedCategory('injective'),
};

export const causal_mask: OpSchema<'causal_mask'> = {
  arity: 1,
  infer(attrs, [mask], declared) {
    requireInt(mask, 'causal_mask attention mask');
    const t = requireDeclared(declared, 'causal_mask');
    if (!isFloat(t.dtype)) fail(`causal_mask output must be float, got ${t.dtype}`);
    if (mask.shape.length !== 2) fail(`causal_mask needs [batch, seq], got ${formatShape(mask.shape)}`);
    if (!(Number.isFinite(attrs.negative) && attrs.negative < 0)) fail(`causal_mask fill ${attrs.negative} must be finite and negative`);
    const [b, s]: readonly Dim[] = mask.shape;
    return { shape: [b, 1, s, s], dtype: t.dtype };
  },
  category: fixedCategory('injective'),
};
