/** The out-elementwise-fusable ops: matrix products, convolutions and pooling. */
import { broadcastShapes, dimsEqual, formatShape } from '../dims.js';
import type { Dim } from '../types.js';
import { fail, fixedCategory, requireConcrete, requireFloat, requireSameDtype, type OpSchema, type TensorType } from './schema.js';

export const matmul: OpSchema<'matmul'> = {
  arity: 2,
  infer(attrs, [a, b]) {
    const dtype = requireSameDtype([a, b], 'matmul');
    requireFloat(a, 'matmul operand');
    if (a.shape.length < 2 || b.shape.length < 2) fail(`matmul needs rank ≥ 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [m, ka] = attrs.transposeA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
    const [kb, n] = attrs.transposeB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
    if (!dimsEqual(ka, kb)) fail(`matmul inner dims differ: ${formatShape(a.shape)} x ${formatShape(b.shape)} (transposeB ${attrs.transposeB})`);
    const batch = broadcastShapes(a.shape.slice(0, ra - 2), b.shape.slice(0, rb - 2));
    if (batch === undefined) fail(`matmul batch dims do not broadcast: ${formatShape(a.shape)} x ${formatShape(b.shape)}`);
    return { shape: [...batch, m, n], dtype };
  },
  category: fixedCategory('out_elementwise_fusable'),
};

function convOut(size: Dim, kernel: number, stride: number, padding: number, what: string): number {
  const n = requireConcrete(size, what);
  const out = Math.floor((n + 2 * padding - kernel) / stride) + 1;
  if (out < 1) fail(`${what}: size ${n} is too small for kernel ${kernel}`);
  return out;
}

function checkConvWeights(x: TensorType, w: TensorType, bias: TensorType | undefined, groups: number, spatial: number): Dim {
  requireSameDtype(bias === undefined ? [x, w] : [x, w, bias], 'conv');
  requireFloat(x, 'conv input');
  if (x.shape.length !== spatial + 2 || w.shape.length !== spatial + 2) {
    fail(`conv${spatial}d needs rank-${spatial + 2} input and weight, got ${formatShape(x.shape)} and ${formatShape(w.shape)}`);
  }
  const cin = requireConcrete(x.shape[1], 'conv input channels');
  const cout = requireConcrete(w.shape[0], 'conv output channels');
  if (!Number.isInteger(groups) || groups < 1 || cin % groups !== 0 || cout % groups !== 0) fail(`conv groups ${groups} do not divide channels ${cin} -> ${cout}`);
  if (!dimsEqual(w.shape[1], cin / groups)) fail(`conv weight ${formatShape(w.shape)} does not take ${cin / groups} channels per group`);
  if (bias !== undefined && !(bias.shape.length === 1 && dimsEqual(bias.shape[0], cout))) fail(`conv bias ${formatShape(bias.shape)} is not [${cout}]`);
  return cout;
}

export const conv1d: OpSchema<'conv1d'> = {
  arity: [2, 3],
  infer(attrs, [x, w, bias]) {
    const cout = checkConvWeights(x, w, bias, attrs.groups, 1);
    const k = requireConcrete(w.shape[2], 'conv1d kernel');
    return { shape: [x.shape[0], cout, convOut(x.shape[2], k, attrs.stride, attrs.padding, 'conv1d length')], dtype: x.dtype };
  },
  category: fixedCategory('out_elementwise_fusable'),
};

export const conv2d: OpSchema<'conv2d'> = {
  arity: [2, 3],
  infer(attrs, [x, w, bias]) {
    const cout = checkConvWeights(x, w, bias, attrs.groups, 2);
    const kh = requireConcrete(w.shape[2], 'conv2d kernel height');
    const kw = requireConcrete(w.shape[3], 'conv2d kernel width');
    const h = convOut(x.shape[2], kh, attrs.stride[0], attrs.padding[0], 'conv2d height');
    const wd = convOut(x.shape[3], kw, attrs.stride[1], attrs.padding[1], 'conv2d width');
    return { shape: [x.shape[0], cout, h, wd], dtype: x.dtype };
  },
  category: fixedCategory('out_elementwise_fusable'),
};

export const avg_pool2d: OpSchema<'avg_pool2d'> = {
  arity: 1,
  infer(attrs, [x]) {
    requireFloat(x, 'avg_pool2d input');
    if (x.shape.length !== 4) fail(`avg_pool2d needs [N, C, H, W], got ${formatShape(x.shape)}`);
    const h = convOut(x.shape[2], attrs.kernel, attrs.stride, 0, 'avg_pool2d height');
    const w = convOut(x.shape[3], attrs.kernel, attrs.stride, 0, 'avg_pool2d width');
    return { shape: [x.shape[0], x.shape[1], h, w], dtype: x.dtype };
  },
  category: fixedCategory('out_elementwise_fusable'),
};
