/**
 * The IR's primitive ops on host tensors, one function per op, exactly as README.md of
 * compiler/ir defines them. The unfused interpreter runs every IR node with these; the fused
 * interpreter uses them only for `op` kernels (ops no pass fused).
 */
import type { OpAttrs, OpKind } from '../../ir/types.js';
import { activate, f32, relativeBucket, ropeAngle } from './math.js';
import { type Tensor, broadcastIndex, rowMajorStrides, size } from './tensor.js';

export class InterpretError extends Error {
  override readonly name = 'InterpretError';
}

/** Computes one op; `shape` is the node's concrete output shape. */
export function evalOp<K extends OpKind>(op: K, attrs: OpAttrs[K], inputs: readonly Tensor[], shape: readonly number[]): Tensor {
  const a = attrs as OpAttrs[OpKind];
  switch (op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return binary(op, inputs[0], inputs[1], shape);
    case 'activation': {
      const x = inputs[0].data;
      const out = new Float32Array(x.length);
      const fn = (a as OpAttrs['activation']).fn;
      for (let i = 0; i < x.length; i++) out[i] = activate(fn, x[i]);
      return { shape, data: out };
    }
    case 'matmul':
      return matmul(a as OpAttrs['matmul'], inputs[0], inputs[1], shape);
    case 'conv1d':
    case 'conv2d':
      return conv(op === 'conv2d' ? 2 : 1, a as OpAttrs['conv2d'] | OpAttrs['conv1d'], inputs, shape);
    case 'avg_pool2d':
      return avgPool(a as OpAttrs['avg_pool2d'], inputs[0], shape);
    case 'layernorm':
      return layerNorm(inputs[0], inputs[1], inputs[2], (a as OpAttrs['layernorm']).eps);
    case 'rmsnorm':
      return rmsNorm(inputs[0], inputs[1], (a as OpAttrs['rmsnorm']).eps);
    case 'weight_norm':
      return weightNorm(inputs[0], inputs[1], (a as OpAttrs['weight_norm']).dim);
    case 'softmax':
      return softmax(inputs[0], (a as OpAttrs['softmax']).axis);
    case 'reduce_sum':
      return reduceSum(inputs[0], (a as OpAttrs['reduce_sum']).axes, shape);
    case 'reshape':
      return { shape, data: inputs[0].data };
    case 'transpose':
      return transpose(inputs[0], (a as OpAttrs['transpose']).perm, shape);
    case 'broadcast_to': {
      const idx = broadcastIndex(inputs[0].shape, shape);
      const out = new Float32Array(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = inputs[0].data[idx[i]];
      return { shape, data: out };
    }
    case 'concat':
      return concat(inputs, (a as OpAttrs['concat']).axis, shape);
    case 'slice':
      return slice(inputs[0], a as OpAttrs['slice'], shape);
    case 'repeat':
      return repeat(inputs[0], a as OpAttrs['repeat'], shape);
    case 'gather':
      return gather(inputs[0], inputs[1], shape);
    case 'rope':
      return rope(inputs[0], inputs[1], a as OpAttrs['rope']);
    case 'causal_mask':
      return causalMask(inputs[0], (a as OpAttrs['causal_mask']).negative, shape);
    case 'rel_pos_buckets':
      return relPosBuckets(a as OpAttrs['rel_pos_buckets']);
    case 'zip':
      return zip(inputs, (a as OpAttrs['zip']).placeholders);
    default:
      throw new InterpretError(`the interpreter has no op \`${op}\``);
  }
}

export function binaryScalar(op: 'add' | 'sub' | 'mul' | 'div', x: number, y: number): number {
  switch (op) {
    case 'add':
      return f32(x + y);
    case 'sub':
      return f32(x - y);
    case 'mul':
      return f32(x * y);
    case 'div':
      return f32(x / y);
  }
}

function binary(op: 'add' | 'sub' | 'mul' | 'div', x: Tensor, y: Tensor, shape: readonly number[]): Tensor {
  const ix = broadcastIndex(x.shape, shape);
  const iy = broadcastIndex(y.shape, shape);
  const out = new Float32Array(ix.length);
  for (let i = 0; i < out.length; i++) out[i] = binaryScalar(op, x.data[ix[i]], y.data[iy[i]]);
  return { shape, data: out };
}

function matmul(attrs: OpAttrs['matmul'], a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = shape[shape.length - 2];
  const n = shape[shape.length - 1];
  const k = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const batchShape = shape.slice(0, -2);
  const batches = size(batchShape);
  const aBatch = broadcastIndex(a.shape.slice(0, -2), batchShape);
  const bBatch = broadcastIndex(b.shape.slice(0, -2), batchShape);
  const aMat = a.shape[ra - 2] * a.shape[ra - 1];
  const bMat = b.shape[rb - 2] * b.shape[rb - 1];
  const out = new Float32Array(batches * m * n);
  for (let t = 0; t < batches; t++) {
    const ao = aBatch[t] * aMat;
    const bo = bBatch[t] * bMat;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const av = attrs.transposeA ? a.data[ao + p * m + i] : a.data[ao + i * k + p];
          const bv = attrs.transposeB ? b.data[bo + j * k + p] : b.data[bo + p * n + j];
          acc = f32(acc + f32(av * bv));
        }
        out[(t * m + i) * n + j] = acc;
      }
    }
  }
  return { shape, data: out };
}

function conv(dims: 1 | 2, attrs: OpAttrs['conv2d'] | OpAttrs['conv1d'], inputs: readonly Tensor[], shape: readonly number[]): Tensor {
  const [x, w, bias] = inputs;
  const stride = dims === 2 ? (attrs as OpAttrs['conv2d']).stride : [(attrs as OpAttrs['conv1d']).stride, 1];
  const padding = dims === 2 ? (attrs as OpAttrs['conv2d']).padding : [(attrs as OpAttrs['conv1d']).padding, 0];
  const [n, cin] = x.shape;
  const h = x.shape[2];
  const wd = dims === 2 ? x.shape[3] : 1;
  const cout = w.shape[0];
  const kh = w.shape[2];
  const kw = dims === 2 ? w.shape[3] : 1;
  const oh = shape[2];
  const ow = dims === 2 ? shape[3] : 1;
  const groups = attrs.groups;
  const cpg = cin / groups;
  const opg = cout / groups;
  const out = new Float32Array(size(shape));
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      const grp = Math.floor(co / opg);
      for (let y = 0; y < oh; y++) {
        for (let xo = 0; xo < ow; xo++) {
          let acc = 0;
          for (let ci = 0; ci < cpg; ci++) {
            const cIn = grp * cpg + ci;
            for (let u = 0; u < kh; u++) {
              const iy = y * stride[0] - padding[0] + u;
              if (iy < 0 || iy >= h) continue;
              for (let v = 0; v < kw; v++) {
                const ix = xo * stride[1] - padding[1] + v;
                if (ix < 0 || ix >= wd) continue;
                const xv = x.data[((b * cin + cIn) * h + iy) * wd + ix];
                const wv = w.data[((co * cpg + ci) * kh + u) * kw + v];
                acc = f32(acc + f32(xv * wv));
              }
            }
          }
          if (bias !== undefined) acc = f32(acc + bias.data[co]);
          out[((b * cout + co) * oh + y) * ow + xo] = acc;
        }
      }
    }
  }
  return { shape, data: out };
}

function avgPool(attrs: OpAttrs['avg_pool2d'], x: Tensor, shape: readonly number[]): Tensor {
  const [n, c, h, w] = x.shape;
  const [, , oh, ow] = shape;
  const out = new Float32Array(size(shape));
  const k = attrs.kernel;
  for (let p = 0; p < n * c; p++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        let acc = 0;
        for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) acc = f32(acc + x.data[(p * h + y * attrs.stride + u) * w + z * attrs.stride + v]);
        out[(p * oh + y) * ow + z] = f32(acc / (k * k));
      }
    }
  }
  return { shape, data: out };
}

function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  const d = x.shape[x.shape.length - 1];
  const rows = x.data.length / d;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean = f32(mean + x.data[r * d + i]);
    mean = f32(mean / d);
    let variance = 0;
    for (let i = 0; i < d; i++) {
      const c = f32(x.data[r * d + i] - mean);
      variance = f32(variance + f32(c * c));
    }
    const inv = f32(1 / Math.sqrt(f32(f32(variance / d) + eps)));
    for (let i = 0; i < d; i++) out[r * d + i] = f32(f32(f32(f32(x.data[r * d + i] - mean) * inv) * gamma.data[i]) + beta.data[i]);
  }
  return { shape: x.shape, data: out };
}

function rmsNorm(x: Tensor, gamma: Tensor, eps: number): Tensor {
  const d = x.shape[x.shape.length - 1];
  const rows = x.data.length / d;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss = f32(ss + f32(x.data[r * d + i] * x.data[r * d + i]));
    const inv = f32(1 / Math.sqrt(f32(f32(ss / d) + eps)));
    for (let i = 0; i < d; i++) out[r * d + i] = f32(f32(x.data[r * d + i] * inv) * gamma.data[i]);
  }
  return { shape: x.shape, data: out };
}

function weightNorm(g: Tensor, v: Tensor, dim: number): Tensor {
  const strides = rowMajorStrides(v.shape);
  const n = v.shape[dim];
  const norms = new Float64Array(n);
  for (let e = 0; e < v.data.length; e++) {
    const i = Math.floor(e / strides[dim]) % n;
    norms[i] += v.data[e] * v.data[e];
  }
  const out = new Float32Array(v.data.length);
  for (let e = 0; e < v.data.length; e++) {
    const i = Math.floor(e / strides[dim]) % n;
    out[e] = f32((g.data[i] * v.data[e]) / Math.sqrt(norms[i]));
  }
  return { shape: v.shape, data: out };
}

function softmax(x: Tensor, axis: number): Tensor {
  const rank = x.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  const d = x.shape[ax];
  const inner = size(x.shape.slice(ax + 1));
  const outer = size(x.shape.slice(0, ax));
  const out = new Float32Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * d * inner + i;
      let max = -Infinity;
      for (let j = 0; j < d; j++) max = Math.max(max, x.data[base + j * inner]);
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const e = f32(Math.exp(f32(x.data[base + j * inner] - max)));
        out[base + j * inner] = e;
        sum = f32(sum + e);
      }
      for (let j = 0; j < d; j++) out[base + j * inner] = f32(out[base + j * inner] / sum);
    }
  }
  return { shape: x.shape, data: out };
}

function reduceSum(x: Tensor, axes: readonly number[], shape: readonly number[]): Tensor {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const idx = broadcastIndex(keep, x.shape);
  const out = new Float32Array(size(shape));
  for (let e = 0; e < x.data.length; e++) out[idx[e]] = f32(out[idx[e]] + x.data[e]);
  return { shape, data: out };
}

function transpose(x: Tensor, perm: readonly number[], shape: readonly number[]): Tensor {
  const inStrides = rowMajorStrides(x.shape);
  const strides = perm.map((p) => inStrides[p]);
  const out = x.data instanceof Int32Array ? new Int32Array(x.data.length) : new Float32Array(x.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  let pos = 0;
  for (let e = 0; e < out.length; e++) {
    out[e] = x.data[pos];
    for (let a = shape.length - 1; a >= 0; a--) {
      idx[a]++;
      pos += strides[a];
      if (idx[a] < shape[a]) break;
      pos -= strides[a] * shape[a];
      idx[a] = 0;
    }
  }
  return { shape, data: out };
}

function concat(inputs: readonly Tensor[], axis: number, shape: readonly number[]): Tensor {
  const outer = size(shape.slice(0, axis));
  const inner = size(shape.slice(axis + 1));
  const out = inputs[0].data instanceof Int32Array ? new Int32Array(size(shape)) : new Float32Array(size(shape));
  let offset = 0;
  for (const t of inputs) {
    const d = t.shape[axis];
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * d * inner, (o + 1) * d * inner), (o * shape[axis] + offset) * inner);
    offset += d;
  }
  return { shape, data: out };
}

function slice(x: Tensor, attrs: OpAttrs['slice'], shape: readonly number[]): Tensor {
  const outer = size(x.shape.slice(0, attrs.axis));
  const inner = size(x.shape.slice(attrs.axis + 1));
  const d = x.shape[attrs.axis];
  const len = attrs.end - attrs.start;
  const out = x.data instanceof Int32Array ? new Int32Array(size(shape)) : new Float32Array(size(shape));
  for (let o = 0; o < outer; o++) out.set(x.data.subarray((o * d + attrs.start) * inner, (o * d + attrs.end) * inner), o * len * inner);
  return { shape, data: out };
}

function repeat(x: Tensor, attrs: OpAttrs['repeat'], shape: readonly number[]): Tensor {
  const outer = size(x.shape.slice(0, attrs.axis));
  const inner = size(x.shape.slice(attrs.axis + 1));
  const d = x.shape[attrs.axis];
  const out = new Float32Array(size(shape));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < d * attrs.times; i++) {
      const src = Math.floor(i / attrs.times);
      out.set(x.data.subarray((o * d + src) * inner, (o * d + src + 1) * inner), (o * d * attrs.times + i) * inner);
    }
  }
  return { shape, data: out };
}

export function gather(table: Tensor, indices: Tensor, shape: readonly number[]): Tensor {
  const rows = table.shape[0];
  const width = size(table.shape.slice(1));
  const out = new Float32Array(size(shape));
  for (let i = 0; i < indices.data.length; i++) {
    const id = indices.data[i];
    if (!(id >= 0 && id < rows)) throw new InterpretError(`gather index ${id} is outside the table's ${rows} rows`);
    out.set(table.data.subarray(id * width, (id + 1) * width), i * width);
  }
  return { shape, data: out };
}

function rope(x: Tensor, positions: Tensor, attrs: OpAttrs['rope']): Tensor {
  const [b, h, s, d] = x.shape;
  const half = attrs.rotaryDim / 2;
  const out = new Float32Array(x.data);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      for (let si = 0; si < s; si++) {
        const pos = positions.data[bi * s + si];
        const base = ((bi * h + hi) * s + si) * d;
        for (let i = 0; i < half; i++) {
          const angle = ropeAngle(pos, i, attrs.rotaryDim, attrs.theta);
          const [c, sn] = [f32(Math.cos(angle)), f32(Math.sin(angle))];
          const x1 = x.data[base + i];
          const x2 = x.data[base + i + half];
          out[base + i] = f32(f32(x1 * c) - f32(x2 * sn));
          out[base + i + half] = f32(f32(x2 * c) + f32(x1 * sn));
        }
      }
    }
  }
  return { shape: x.shape, data: out };
}

function causalMask(mask: Tensor, negative: number, shape: readonly number[]): Tensor {
  const [b, , s, t] = shape;
  const out = new Float32Array(size(shape));
  for (let bi = 0; bi < b; bi++) {
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < t; j++) out[(bi * s + i) * t + j] = j <= i && mask.data[bi * t + j] !== 0 ? 0 : negative;
    }
  }
  return { shape, data: out };
}

function relPosBuckets(attrs: OpAttrs['rel_pos_buckets']): Tensor {
  const n = attrs.length;
  const out = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = relativeBucket(j - i, attrs.buckets, attrs.maxDistance);
  return { shape: [n, n], data: out };
}

/** The zipper's row mapping: for each (sample, position), −1 for a text row or `k·2^20 + n` for row n of sense k. */
export function zipRows(ids: Tensor, placeholders: OpAttrs['zip']['placeholders']): Int32Array {
  const [b, s] = ids.shape;
  const rows = new Int32Array(b * s).fill(-1);
  for (let bi = 0; bi < b; bi++) {
    const seen = placeholders.map(() => 0);
    for (let p = 0; p < s; p++) {
      const k = placeholders.findIndex((ph) => ph.tokenId === ids.data[bi * s + p]);
      if (k < 0) continue;
      if (seen[k] >= placeholders[k].tokens) throw new InterpretError(`sample ${bi} has more than ${placeholders[k].tokens} \`${placeholders[k].sense}\` placeholders`);
      rows[bi * s + p] = k * 2 ** 20 + seen[k]++;
    }
    placeholders.forEach((ph, k) => {
      if (seen[k] !== ph.tokens) throw new InterpretError(`sample ${bi} has ${seen[k]} \`${ph.sense}\` placeholders for ${ph.tokens} embeddings`);
    });
  }
  return rows;
}

function zip(inputs: readonly Tensor[], placeholders: OpAttrs['zip']['placeholders']): Tensor {
  const [embeds, ids, ...senses] = inputs;
  const [b, s, hidden] = embeds.shape;
  const rows = zipRows(ids, placeholders);
  const out = new Float32Array(embeds.data);
  for (let bi = 0; bi < b; bi++) {
    for (let p = 0; p < s; p++) {
      const r = rows[bi * s + p];
      if (r < 0) continue;
      const k = Math.floor(r / 2 ** 20);
      const n = r % 2 ** 20;
      const tokens = placeholders[k].tokens;
      out.set(senses[k].data.subarray((bi * tokens + n) * hidden, (bi * tokens + n + 1) * hidden), (bi * s + p) * hidden);
    }
  }
  return { shape: embeds.shape, data: out };
}
