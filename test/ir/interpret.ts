/**
 * A reference interpreter of the graph IR on tfjs, op by op, written from the op semantics in
 * compiler/ir/types.ts (not from the runtime blocks). Tests use it to show that the IR computes
 * what the generated code computes; the plan stage can use it as its unfused baseline.
 */
import { evalShape, type Graph, type IrNode, type SymbolBindings } from '../../compiler/ir/index.js';
import { activation as runtimeActivation, beatsRelativeBucket, tf } from '../../runtime/index.js';

export interface InterpretInputs {
  /** Graph inputs by name (`input_ids`, `attention_mask`, `position_ids`, `<sense>_pixel_values`...). */
  readonly inputs: ReadonlyMap<string, tf.Tensor>;
  /** Weights by manifest name. */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
}

/** Evaluates the graph's outputs; every intermediate is disposed. */
export function interpret(graph: Graph, feed: InterpretInputs): Map<string, tf.Tensor> {
  const outputs = tf.tidy(() => {
    const ids = feed.inputs.get('input_ids');
    if (ids === undefined) throw new Error('interpret: no input_ids');
    const [batch, seq] = dims(ids);
    const bindings: SymbolBindings = { batch, seq };
    const values: tf.Tensor[] = [];
    for (const node of graph.nodes) values.push(evaluate(node, values, feed, bindings));
    return graph.outputs.map((o) => values[o.node]);
  });
  return new Map(graph.outputs.map((o, i) => [o.name, outputs[i]]));
}

function evaluate(n: IrNode, v: readonly tf.Tensor[], feed: InterpretInputs, env: SymbolBindings): tf.Tensor {
  const a = (i: number): tf.Tensor => v[n.inputs[i]];
  const shape = (): number[] => evalShape(n.shape, env);
  switch (n.op) {
    case 'input': {
      const t = feed.inputs.get(n.attrs.name);
      if (t === undefined) throw new Error(`interpret: no input ${n.attrs.name}`);
      return t;
    }
    case 'weight': {
      const t = feed.weights.get(n.attrs.name);
      if (t === undefined) throw new Error(`interpret: no weight ${n.attrs.name}`);
      return t;
    }
    case 'constant':
      return tf.scalar(n.attrs.value);
    case 'rel_pos_buckets': {
      const { length, buckets, maxDistance } = n.attrs;
      const data = new Int32Array(length * length);
      for (let i = 0; i < length; i++) for (let j = 0; j < length; j++) data[i * length + j] = beatsRelativeBucket(j - i, buckets, maxDistance);
      return tf.tensor2d(data, [length, length], 'int32');
    }
    case 'add':
      return tf.add(a(0), a(1));
    case 'sub':
      return tf.sub(a(0), a(1));
    case 'mul':
      return tf.mul(a(0), a(1));
    case 'div':
      return tf.div(a(0), a(1));
    case 'activation':
      return n.attrs.fn === 'sigmoid' ? tf.sigmoid(a(0)) : n.attrs.fn === 'tanh' ? tf.tanh(a(0)) : runtimeActivation(a(0), n.attrs.fn);
    case 'matmul':
      return matmul(a(0), a(1), n.attrs.transposeA, n.attrs.transposeB);
    case 'conv1d':
      return conv1d(a(0), a(1), n.inputs.length > 2 ? a(2) : undefined, n.attrs.stride, n.attrs.padding, n.attrs.groups);
    case 'conv2d': {
      if (n.attrs.groups !== 1) throw new Error('interpret: grouped conv2d');
      const [ph, pw] = n.attrs.padding;
      const x = tf.pad(tf.transpose(a(0), [0, 2, 3, 1]), [[0, 0], [ph, ph], [pw, pw], [0, 0]]) as tf.Tensor4D;
      const w = tf.transpose(a(1), [2, 3, 1, 0]) as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(x, w, [n.attrs.stride[0], n.attrs.stride[1]], 'valid');
      if (n.inputs.length > 2) y = tf.add(y, a(2));
      return tf.transpose(y, [0, 3, 1, 2]);
    }
    case 'avg_pool2d': {
      const x = tf.transpose(a(0), [0, 2, 3, 1]) as tf.Tensor4D;
      return tf.transpose(tf.avgPool(x, n.attrs.kernel, n.attrs.stride, 'valid'), [0, 3, 1, 2]);
    }
    case 'layernorm': {
      const { mean, variance } = tf.moments(a(0), -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a(0), mean), tf.sqrt(tf.add(variance, n.attrs.eps))), a(1)), a(2));
    }
    case 'rmsnorm':
      return tf.mul(tf.mul(a(0), tf.rsqrt(tf.add(tf.mean(tf.square(a(0)), -1, true), n.attrs.eps))), a(1));
    case 'weight_norm': {
      const v0 = a(1);
      const axes = v0.shape.map((_, i) => i).filter((i) => i !== n.attrs.dim);
      return tf.mul(a(0), tf.div(v0, tf.sqrt(tf.sum(tf.square(v0), axes, true))));
    }
    case 'softmax':
      if (n.attrs.axis !== -1 && n.attrs.axis !== a(0).rank - 1) throw new Error('interpret: softmax off the last axis');
      return tf.softmax(a(0));
    case 'reduce_sum':
      return tf.sum(a(0), [...n.attrs.axes], n.attrs.keepDims);
    case 'reshape':
      return tf.reshape(a(0), shape());
    case 'transpose':
      return tf.transpose(a(0), [...n.attrs.perm]);
    case 'broadcast_to':
      return tf.broadcastTo(a(0), shape());
    case 'concat':
      return tf.concat(n.inputs.map((i) => v[i]), n.attrs.axis);
    case 'slice': {
      const x = a(0);
      const begin = x.shape.map((_, i) => (i === n.attrs.axis ? n.attrs.start : 0));
      const size = x.shape.map((d, i) => (i === n.attrs.axis ? n.attrs.end - n.attrs.start : d));
      return tf.slice(x, begin, size);
    }
    case 'repeat': {
      const { axis, times } = n.attrs;
      const expanded = tf.expandDims(a(0), axis + 1);
      return tf.reshape(tf.tile(expanded, expanded.shape.map((_, i) => (i === axis + 1 ? times : 1))), shape());
    }
    case 'gather':
      return tf.gather(a(0), a(1));
    case 'rope':
      return rope(a(0), a(1), n.attrs.theta, n.attrs.rotaryDim);
    case 'causal_mask': {
      const mask = a(0);
      const [, s] = mask.shape;
      const causal = tf.linalg.bandPart(tf.ones([s, s]), -1, 0);
      const keys = tf.reshape(tf.cast(mask, 'float32'), [mask.shape[0], 1, 1, s]);
      const allowed = tf.mul(tf.reshape(causal, [1, 1, s, s]), keys);
      return tf.mul(tf.sub(1, allowed), n.attrs.negative);
    }
    case 'zip':
      return zip(a(0), a(1), n.inputs.slice(2).map((i) => v[i]), n.attrs.placeholders.map((p) => p.tokenId));
  }
}

/** Batched product with broadcasting of leading axes (tfjs wants equal batch ranks). */
function matmul(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  const rank = Math.max(a.rank, b.rank);
  const lead = (t: tf.Tensor): number[] => [...Array<number>(rank - t.rank).fill(1), ...dims(t).slice(0, -2)];
  const batch = lead(a).map((d, i) => Math.max(d, lead(b)[i]));
  const full = (t: tf.Tensor): tf.Tensor3D => {
    const last = dims(t).slice(-2);
    const shaped = tf.broadcastTo(tf.reshape(t, [...lead(t), ...last]), [...batch, ...last]);
    return tf.reshape(shaped, [-1, last[0], last[1]]);
  };
  const y = tf.matMul(full(a), full(b), ta, tb);
  return tf.reshape(y, [...batch, ...dims(y).slice(-2)]);
}

/** A tensor's shape as a plain array. */
function dims(t: tf.Tensor): number[] {
  return t.shape as number[];
}

/** NCW grouped conv1d with zero padding. */
function conv1d(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | undefined, stride: number, padding: number, groups: number): tf.Tensor {
  const xs = tf.pad(tf.transpose(x, [0, 2, 1]), [[0, 0], [padding, padding], [0, 0]]);
  const [outChannels, inPer] = dims(w);
  const outPer = outChannels / groups;
  const parts: tf.Tensor[] = [];
  for (let g = 0; g < groups; g++) {
    const xg = tf.slice(xs, [0, 0, g * inPer], [-1, -1, inPer]) as tf.Tensor3D;
    const wg = tf.transpose(tf.slice(w, [g * outPer, 0, 0], [outPer, -1, -1]), [2, 1, 0]) as tf.Tensor3D;
    parts.push(tf.conv1d(xg, wg, stride, 'valid'));
  }
  let y: tf.Tensor = tf.concat(parts, 2);
  if (bias !== undefined) y = tf.add(y, bias);
  return tf.transpose(y, [0, 2, 1]);
}

/** Rotate-half RoPE on the first `dim` features of x [b, h, s, d] at positions [b, s]. */
function rope(x: tf.Tensor, positions: tf.Tensor, theta: number, dim: number): tf.Tensor {
  const [b, , s, d] = x.shape;
  const inv = tf.tensor1d(Array.from({ length: dim / 2 }, (_, i) => 1 / Math.pow(theta, (2 * i) / dim)));
  const freqs = tf.mul(tf.reshape(tf.cast(positions, 'float32'), [b, s, 1]), inv);
  const emb = tf.concat([freqs, freqs], -1);
  const cos = tf.reshape(tf.cos(emb), [b, 1, s, dim]);
  const sin = tf.reshape(tf.sin(emb), [b, 1, s, dim]);
  const rot = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, dim]);
  const first = tf.slice(rot, [0, 0, 0, 0], [-1, -1, -1, dim / 2]);
  const second = tf.slice(rot, [0, 0, 0, dim / 2], [-1, -1, -1, dim / 2]);
  const rotated = tf.add(tf.mul(rot, cos), tf.mul(tf.concat([tf.neg(second), first], -1), sin));
  return dim === d ? rotated : tf.concat([rotated, tf.slice(x, [0, 0, 0, dim], [-1, -1, -1, d - dim])], -1);
}

/** The zipper on pre-expanded ids: row r's n-th placeholder of sense k takes senses[k][r, n]. */
function zip(embeds: tf.Tensor, ids: tf.Tensor, senses: readonly tf.Tensor[], tokenIds: readonly number[]): tf.Tensor {
  const [b, s, h] = dims(embeds);
  const idData = ids.dataSync();
  const offsets: number[] = [];
  let total = b * s;
  for (const t of senses) {
    offsets.push(total);
    total += dims(t)[0] * dims(t)[1];
  }
  const index = new Int32Array(b * s);
  for (let r = 0; r < b; r++) {
    const seen = tokenIds.map(() => 0);
    for (let p = 0; p < s; p++) {
      const k = tokenIds.indexOf(idData[r * s + p]);
      index[r * s + p] = k < 0 ? r * s + p : offsets[k] + r * dims(senses[k])[1] + seen[k]++;
    }
    seen.forEach((count, k) => {
      if (count !== dims(senses[k])[1]) throw new Error(`interpret: row ${r} has ${count} placeholders for ${dims(senses[k])[1]} embeddings`);
    });
  }
  const table = tf.concat([tf.reshape(embeds, [b * s, h]), ...senses.map((t) => tf.reshape(t, [-1, h]))], 0);
  return tf.reshape(tf.gather(table, tf.tensor1d(index, 'int32')), [b, s, h]);
}
