/** Reductions: norms, softmax, sums. */
import { dimsEqual, formatShape, normaliseAxis } from '../dims.js';
import { fail, fixedCategory, requireFloat, requireSameDtype, type OpSchema, type TensorType } from './schema.js';

function requireVectorOf(t: TensorType, width: unknown, what: string): void {
  if (!(t.shape.length === 1 && dimsEqual(t.shape[0], width as number | string))) {
    fail(`${what} ${formatShape(t.shape)} does not match width ${String(width)}`);
  }
}

function checkEps(eps: number): void {
  if (!(eps > 0 && eps < 1)) fail(`norm eps ${eps} must be in (0, 1)`);
}

export const layernorm: OpSchema<'layernorm'> = {
  arity: 3,
  infer(attrs, [x, gamma, beta]) {
    requireSameDtype([x, gamma, beta], 'layernorm');
    requireFloat(x, 'layernorm input');
    checkEps(attrs.eps);
    if (x.shape.length === 0) fail('layernorm of a scalar');
    const width = x.shape[x.shape.length - 1];
    requireVectorOf(gamma, width, 'layernorm gamma');
    requireVectorOf(beta, width, 'layernorm beta');
    return x;
  },
  category: fixedCategory('reduction'),
};

export const rmsnorm: OpSchema<'rmsnorm'> = {
  arity: 2,
  infer(attrs, [x, gamma]) {
    requireSameDtype([x, gamma], 'rmsnorm');
    requireFloat(x, 'rmsnorm input');
    checkEps(attrs.eps);
    if (x.shape.length === 0) fail('rmsnorm of a scalar');
    requireVectorOf(gamma, x.shape[x.shape.length - 1], 'rmsnorm gamma');
    return x;
  },
  category: fixedCategory('reduction'),
};

export const weight_norm: OpSchema<'weight_norm'> = {
  arity: 2,
  infer(attrs, [g, v]) {
    requireSameDtype([g, v], 'weight_norm');
    requireFloat(v, 'weight_norm direction');
    const dim = normaliseAxis(attrs.dim, v.shape.length);
    if (dim === undefined || g.shape.length !== v.shape.length) fail(`weight_norm: g ${formatShape(g.shape)} and v ${formatShape(v.shape)} do not fit dim ${attrs.dim}`);
    g.shape.forEach((d, i) => {
      const want = i === dim ? v.shape[i] : 1;
      if (!dimsEqual(d, want)) fail(`weight_norm: g ${formatShape(g.shape)} must be 1 except on dim ${dim}`);
    });
    return v;
  },
  category: fixedCategory('reduction'),
};

export const softmax: OpSchema<'softmax'> = {
  arity: 1,
  infer(attrs, [x]) {
    requireFloat(x, 'softmax input');
    if (normaliseAxis(attrs.axis, x.shape.length) === undefined) fail(`softmax axis ${attrs.axis} is out of range for ${formatShape(x.shape)}`);
    return x;
  },
  category: fixedCategory('reduction'),
};

export const reduce_sum: OpSchema<'reduce_sum'> = {
  arity: 1,
  infer(attrs, [x]) {
    requireFloat(x, 'reduce_sum input');
    const axes = attrs.axes;
    const valid = axes.length > 0 && axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < x.shape.length && (i === 0 || a > axes[i - 1]));
    if (!valid) fail(`reduce_sum axes [${axes.join(', ')}] must be ascending and in range for ${formatShape(x.shape)}`);
    const shape = attrs.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return { shape, dtype: x.dtype };
  },
  category: fixedCategory('reduction'),
};
