/**
 * The op-by-op baseline of `mimo bench`: an UNFUSED plan (one `op` kernel per IR op) run with
 * TensorFlow.js ops on whatever tfjs backend is active — each IR op becomes the tfjs op (or the
 * runtime layer built from tfjs ops) that a hand-written tfjs model would call. Weights are
 * uploaded once, and conv filters and linear kernels ([out, in] → [in, out]) re-laid out once at
 * load, as a tfjs model would; every intermediate is disposed after its last use.
 */
import type { OpAttrs } from '../../compiler/ir/types.js';
import { relativeBucket } from '../../compiler/plan/interpret/math.js';
import type { Operand, Plan, PlanKernel } from '../../compiler/plan/types.js';
import { inverseFrequencies } from '../../compiler/wgsl/rotary.js';
import { tf } from '../../runtime/backend/tf.js';
import { activation, layerNorm, rmsNorm } from '../../runtime/layers/index.js';
import type { HostTensor } from '../../runtime/webgpu/executor.js';
import { buildZipRoutes } from '../../runtime/webgpu/zipRoutes.js';

export class OpByOpError extends Error {
  override readonly name = 'OpByOpError';
}

export interface TfjsOpByOp {
  /** Kernels (IR ops) per forward. */
  readonly ops: number;
  /** One forward: uploads the inputs, runs every op, reads back the outputs `read` names (default: all). */
  run(inputs: Readonly<Record<string, HostTensor>>, read?: readonly string[]): Promise<Record<string, Float32Array | Int32Array>>;
  dispose(): void;
}

function contiguous(op: Operand): boolean {
  let stride = 1;
  for (let a = op.shape.length - 1; a >= 0; a--) {
    if (op.shape[a] !== 1 && op.view.strides[a] !== stride) return false;
    stride *= op.shape[a];
  }
  return op.view.offset === 0 && op.view.shape.length === op.shape.length;
}

export function tfjsOpByOp(plan: Plan, weights: ReadonlyMap<string, Float32Array>): TfjsOpByOp {
  const all = [...plan.prepare, ...plan.kernels];
  for (const k of all) {
    if (k.kind !== 'op') throw new OpByOpError(`the op-by-op baseline runs unfused plans; kernel ${k.id} is a fused ${k.kind}`);
    for (const o of [...k.inputs, ...k.outputs]) if (!contiguous(o)) throw new OpByOpError(`kernel ${k.id} (${k.label}) reads a strided view; expected an unfused plan`);
  }
  // Weights read only as the B of linear products: held as [in, out] kernels, as tf.layers.dense
  // holds them (an [out, in] checkpoint weight is transposed once, here, and not kept).
  const useOf = (k: PlanKernel, slot: number): 'kernel' | 'transposed kernel' | 'other' => {
    if (k.kind !== 'op' || k.params.op !== 'matmul' || slot !== 1 || k.inputs[1].shape.length !== 2) return 'other';
    const a = k.params.attrs as OpAttrs['matmul'];
    return a.transposeA ? 'other' : a.transposeB ? 'transposed kernel' : 'kernel';
  };
  const otherUse = new Set<number>();
  const transposedUse = new Set<number>();
  const plainUse = new Set<number>();
  for (const k of all) {
    k.inputs.forEach((o, slot) => {
      const use = useOf(k, slot);
      if (use === 'other') otherUse.add(o.buffer);
      else (use === 'transposed kernel' ? transposedUse : plainUse).add(o.buffer);
    });
  }
  // Read both ways: keep it as it is (the product then transposes as the op says).
  for (const id of transposedUse) if (plainUse.has(id)) otherUse.add(id);
  const kernels = new Set<number>();
  const persistent = new Map<number, tf.Tensor>();
  for (const b of plan.buffers) {
    if (b.kind === 'weight') {
      const data = weights.get(b.weight ?? b.name);
      if (data === undefined) throw new OpByOpError(`missing weight ${b.weight ?? b.name}`);
      const t = tf.tensor(data, [...b.shape], 'float32');
      if (!otherUse.has(b.id) && b.shape.length === 2) {
        kernels.add(b.id);
        if (transposedUse.has(b.id)) {
          persistent.set(b.id, tf.transpose(t));
          t.dispose();
          continue;
        }
      }
      persistent.set(b.id, t);
    } else if (b.kind === 'constant') {
      persistent.set(b.id, tf.scalar(b.value ?? 0, b.dtype === 'int32' ? 'int32' : 'float32'));
    }
  }
  // Filters re-laid out for tfjs (channels-last), once per weight.
  const filters = new Map<string, tf.Tensor>();
  const filter = (w: Operand, perm: number[]): tf.Tensor => {
    const key = `${w.buffer}:${perm.join()}`;
    let t = filters.get(key);
    if (t === undefined) {
      t = tf.transpose(value(w), perm);
      if (persistent.has(w.buffer)) filters.set(key, tf.keep(t));
    }
    return t;
  };
  let values = new Map<number, tf.Tensor>();
  const value = (o: Operand): tf.Tensor => {
    const t = values.get(o.buffer) ?? persistent.get(o.buffer);
    if (t === undefined) throw new OpByOpError(`buffer ${plan.buffers[o.buffer].name} is read before it is written`);
    return t;
  };
  let hostInputs: Readonly<Record<string, HostTensor>> = {};
  const run = (k: PlanKernel): tf.Tensor => {
    if (k.kind !== 'op') throw new OpByOpError('unreachable');
    const x = k.inputs.map(value);
    const shape = [...k.outputs[0].shape];
    const attrs = k.params.attrs;
    const float = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
    switch (k.params.op) {
      case 'add':
        return tf.add(float(x[0]), float(x[1]));
      case 'sub':
        return tf.sub(float(x[0]), float(x[1]));
      case 'mul':
        return tf.mul(float(x[0]), float(x[1]));
      case 'div':
        return tf.div(float(x[0]), float(x[1]));
      case 'activation': {
        const fn = (attrs as OpAttrs['activation']).fn;
        if (fn === 'sigmoid') return tf.sigmoid(x[0]);
        if (fn === 'tanh') return tf.tanh(x[0]);
        return activation(x[0], fn);
      }
      case 'matmul': {
        const a = attrs as OpAttrs['matmul'];
        // A linear layer as tf.layers.dense computes it: the [out, in] weight transposed to its
        // [in, out] kernel once at load, and a batched input folded to rows (one 2-D product;
        // tfjs-wasm's batched and transposed products are its slow paths).
        if (kernels.has(k.inputs[1].buffer)) {
          const inner = x[0].shape[x[0].rank - 1];
          return tf.reshape(tf.matMul(tf.reshape(x[0], [x[0].size / inner, inner]), x[1]), shape);
        }
        return tf.matMul(x[0], x[1], a.transposeA, a.transposeB);
      }
      case 'conv1d':
      case 'conv2d':
        return conv(k.params.op === 'conv2d', attrs as OpAttrs['conv1d'] | OpAttrs['conv2d'], x[0], k.inputs[1], x[2]);
      case 'avg_pool2d': {
        const a = attrs as OpAttrs['avg_pool2d'];
        const nhwc = tf.transpose(x[0], [0, 2, 3, 1]) as tf.Tensor4D;
        return tf.transpose(tf.avgPool(nhwc, a.kernel, a.stride, 'valid'), [0, 3, 1, 2]);
      }
      case 'layernorm':
        return layerNorm(x[0], { weight: x[1] as tf.Tensor1D, bias: x[2] as tf.Tensor1D }, (attrs as OpAttrs['layernorm']).eps);
      case 'rmsnorm':
        return rmsNorm(x[0], { weight: x[1] as tf.Tensor1D }, (attrs as OpAttrs['rmsnorm']).eps);
      case 'weight_norm': {
        const dim = (attrs as OpAttrs['weight_norm']).dim;
        const axes = x[1].shape.map((_, a) => a).filter((a) => a !== dim);
        return tf.div(tf.mul(x[0], x[1]), tf.sqrt(tf.sum(tf.square(x[1]), axes, true)));
      }
      case 'softmax': {
        const rank = x[0].shape.length;
        const axis = ((attrs as OpAttrs['softmax']).axis + rank) % rank;
        if (axis === rank - 1) return tf.softmax(x[0]);
        const perm = x[0].shape.map((_, a) => a);
        perm[axis] = rank - 1;
        perm[rank - 1] = axis;
        return tf.transpose(tf.softmax(tf.transpose(x[0], perm)), perm);
      }
      case 'reduce_sum': {
        const a = attrs as OpAttrs['reduce_sum'];
        return tf.sum(x[0], [...a.axes], a.keepDims);
      }
      case 'reshape':
        return tf.reshape(x[0], shape);
      case 'transpose':
        return tf.transpose(x[0], [...(attrs as OpAttrs['transpose']).perm]);
      case 'broadcast_to':
        return tf.broadcastTo(x[0], shape);
      case 'concat':
        return tf.concat(x, (attrs as OpAttrs['concat']).axis);
      case 'slice': {
        const a = attrs as OpAttrs['slice'];
        const begin = shape.map(() => 0);
        begin[a.axis] = a.start;
        return tf.slice(x[0], begin, shape);
      }
      case 'repeat': {
        // repeat_interleave as one gather along the axis (index i reads i / times).
        const a = attrs as OpAttrs['repeat'];
        const n = x[0].shape[a.axis] * a.times;
        return tf.gather(x[0], tf.tensor(Int32Array.from({ length: n }, (_, i) => Math.floor(i / a.times)), [n], 'int32'), a.axis);
      }
      case 'gather':
        return tf.gather(x[0], x[1]);
      case 'rope':
        return rope(x[0], x[1], attrs as OpAttrs['rope']);
      case 'causal_mask': {
        const [batch, , queries, keys] = shape;
        const lower = tf.linalg.bandPart(tf.ones([queries, keys]), -1, keys - queries);
        const keep = tf.mul(tf.reshape(lower, [1, 1, queries, keys]), tf.reshape(float(x[0]), [batch, 1, 1, keys]));
        return tf.where(tf.greater(keep, 0), tf.zerosLike(keep), tf.fill(keep.shape, (attrs as OpAttrs['causal_mask']).negative));
      }
      case 'rel_pos_buckets': {
        const a = attrs as OpAttrs['rel_pos_buckets'];
        const table = new Int32Array(a.length * a.length);
        for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) table[i * a.length + j] = relativeBucket(j - i, a.buckets, a.maxDistance);
        return tf.tensor(table, [a.length, a.length], 'int32');
      }
      case 'zip':
        return zip(k, x, attrs as OpAttrs['zip']);
      default:
        throw new OpByOpError(`no tfjs lowering for op ${k.params.op}`);
    }
  };

  const conv = (two: boolean, a: OpAttrs['conv1d'] | OpAttrs['conv2d'], x: tf.Tensor, w: Operand, bias: tf.Tensor | undefined): tf.Tensor => {
    const groups = a.groups;
    const xl = tf.transpose(x, two ? [0, 2, 3, 1] : [0, 2, 1]);
    const f = filter(w, two ? [2, 3, 1, 0] : [2, 1, 0]);
    const xs = groups === 1 ? [xl] : tf.split(xl, groups, -1);
    const fs = groups === 1 ? [f] : tf.split(f, groups, -1);
    const ys = xs.map((xg, g) => {
      if (two) {
        const s = a.stride as readonly [number, number];
        const p = a.padding as readonly [number, number];
        return tf.conv2d(xg as tf.Tensor4D, fs[g] as tf.Tensor4D, [s[0], s[1]], [[0, 0], [p[0], p[0]], [p[1], p[1]], [0, 0]]);
      }
      // tfjs's conv1d mishandles a numeric padding; pad the time axis explicitly.
      const p = a.padding as number;
      const padded = p === 0 ? xg : tf.pad(xg, [[0, 0], [p, p], [0, 0]]);
      return tf.conv1d(padded as tf.Tensor3D, fs[g] as tf.Tensor3D, a.stride as number, 'valid');
    });
    let y = ys.length === 1 ? ys[0] : tf.concat(ys, -1);
    if (bias !== undefined) y = tf.add(y, bias);
    return tf.transpose(y, two ? [0, 3, 1, 2] : [0, 2, 1]);
  };

  const rope = (x: tf.Tensor, positions: tf.Tensor, a: OpAttrs['rope']): tf.Tensor => {
    const [batch, , seq, headDim] = x.shape;
    const half = a.rotaryDim / 2;
    const angles = tf.mul(tf.reshape(tf.cast(positions, 'float32'), [batch, 1, seq, 1]), tf.tensor(inverseFrequencies(a.theta, a.rotaryDim), [1, 1, 1, half]));
    const cos = tf.cos(angles);
    const sin = tf.sin(angles);
    const pieces = tf.split(x, a.rotaryDim === headDim ? [half, half] : [half, half, headDim - a.rotaryDim], -1);
    const [x1, x2] = pieces;
    return tf.concat([tf.sub(tf.mul(x1, cos), tf.mul(x2, sin)), tf.add(tf.mul(x2, cos), tf.mul(x1, sin)), ...pieces.slice(2)], -1);
  };

  const zip = (k: PlanKernel, x: readonly tf.Tensor[], a: OpAttrs['zip']): tf.Tensor => {
    const [embeds, , ...senses] = x;
    const [batch, seq, hidden] = embeds.shape;
    const input = plan.inputs.find((i) => i.operand.buffer === k.inputs[1].buffer);
    const ids = input === undefined ? undefined : hostInputs[input.name];
    if (!(ids instanceof Int32Array) || input === undefined) throw new OpByOpError("the zipper's token ids must be an int32 graph input");
    const step = { kind: 'zip_routes' as const, ids: input.name, placeholders: a.placeholders, target: { name: 'routes', buffer: 0, dtype: 'i32' as const, shape: [batch, seq, 2], view: { shape: [batch, seq, 2], strides: [seq * 2, 2, 1], offset: 0 } } };
    const routes = buildZipRoutes(step, ids, batch, seq);
    const starts = [batch * seq];
    a.placeholders.forEach((p, i) => starts.push(starts[i] + batch * p.tokens));
    const rows = new Int32Array(batch * seq);
    for (let b = 0; b < batch; b++)
      for (let p = 0; p < seq; p++) {
        const at = b * seq + p;
        const src = routes[at * 2];
        rows[at] = src === 0 ? at : starts[src - 1] + b * a.placeholders[src - 1].tokens + routes[at * 2 + 1];
      }
    const table = tf.concat([tf.reshape(embeds, [batch * seq, hidden]), ...senses.map((s) => tf.reshape(s, [-1, hidden]))], 0);
    return tf.reshape(tf.gather(table, tf.tensor(rows, [batch * seq], 'int32')), [batch, seq, hidden]);
  };

  // Last kernel reading each buffer: intermediates are disposed right after it.
  const lastUse = new Map<number, number>();
  plan.kernels.forEach((k, i) => k.inputs.forEach((o) => lastUse.set(o.buffer, i)));
  const outputBuffers = new Set(plan.outputs.map((o) => o.operand.buffer));
  const runKernel = (k: PlanKernel): void => {
    let out: tf.Tensor;
    try {
      out = tf.tidy(() => run(k));
    } catch (error) {
      const shapes = k.inputs.map((o) => `[${o.shape.join(', ')}]`).join(', ');
      throw new OpByOpError(`kernel ${k.id} (${k.label} of ${shapes}): ${error instanceof Error ? error.message : String(error)}`);
    }
    values.set(k.outputs[0].buffer, out);
  };
  for (const k of plan.prepare) runKernel(k);
  for (const [id, t] of values) persistent.set(id, t);
  values = new Map();

  return {
    ops: plan.kernels.length,
    async run(inputs, read) {
      hostInputs = inputs;
      for (const i of plan.inputs) {
        const data = inputs[i.name];
        if (data === undefined) throw new OpByOpError(`missing input ${i.name}`);
        values.set(i.operand.buffer, tf.tensor(data, [...i.operand.shape], data instanceof Int32Array ? 'int32' : 'float32'));
      }
      plan.kernels.forEach((k, i) => {
        runKernel(k);
        for (const o of new Set(k.inputs.map((op) => op.buffer))) {
          if (lastUse.get(o) === i && !outputBuffers.has(o) && values.has(o)) {
            values.get(o)?.dispose();
            values.delete(o);
          }
        }
      });
      const outputs: Record<string, Float32Array | Int32Array> = {};
      for (const o of plan.outputs) if (read === undefined || read.includes(o.name)) outputs[o.name] = (await value(o.operand).data()) as Float32Array | Int32Array;
      for (const t of values.values()) t.dispose();
      values = new Map();
      return outputs;
    },
    dispose() {
      for (const t of persistent.values()) t.dispose();
      for (const t of filters.values()) t.dispose();
      for (const t of values.values()) t.dispose();
    },
  };
}

/** Bytes of tensor data alive now and at most since the last `resetPeak`, each data buffer once. */
export interface ResidentBytes {
  readonly current: number;
  readonly peak: number;
  resetPeak(): void;
  detach(): void;
}

/**
 * Counts the bytes of tensor DATA alive, from now on: tf.memory() and tf.profile count every
 * tensor handle, so a reshape (a second handle on the same data) counts its data again, which
 * favours code that copies over code that views. Wraps the engine's track/dispose hooks until
 * `detach`; install it before the tensors to be counted (weights included) are made — data that
 * existed before is never counted, whatever handles are made on it later.
 */
export function trackResidentBytes(): ResidentBytes {
  type Hooks = { trackTensor(t: tf.Tensor, backend: unknown): void; disposeTensor(t: tf.Tensor): void };
  const engine = tf.engine() as unknown as Hooks & { state: { tensorInfo: { has(dataId: object): boolean } } };
  const original = { trackTensor: engine.trackTensor, disposeTensor: engine.disposeTensor };
  const data = new Map<object, { bytes: number; handles: number }>();
  let current = 0;
  let peak = 0;
  engine.trackTensor = function (this: Hooks, t, backend) {
    const existed = engine.state.tensorInfo.has(t.dataId);
    original.trackTensor.call(this, t, backend);
    const entry = data.get(t.dataId);
    if (entry !== undefined) entry.handles++;
    else if (!existed && t.dtype !== 'string' && t.dtype !== 'complex64') {
      const bytes = t.size * tf.util.bytesPerElement(t.dtype);
      data.set(t.dataId, { bytes, handles: 1 });
      current += bytes;
      peak = Math.max(peak, current);
    }
  };
  engine.disposeTensor = function (this: Hooks, t) {
    original.disposeTensor.call(this, t);
    const entry = data.get(t.dataId);
    if (entry !== undefined && --entry.handles === 0) {
      data.delete(t.dataId);
      current -= entry.bytes;
    }
  };
  return {
    get current() {
      return current;
    },
    get peak() {
      return peak;
    },
    resetPeak: () => {
      peak = current;
    },
    detach: () => {
      engine.trackTensor = original.trackTensor;
      engine.disposeTensor = original.disposeTensor;
    },
  };
}
