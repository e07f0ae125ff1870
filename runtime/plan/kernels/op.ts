/**
 * `op` kernels: an IR op no pass fused (load-time weight packing, BEATs' weight norm and position
 * buckets, a class-token concat, a position gather), run as the tfjs ops that define it
 * (compiler/ir/README.md gives each op's semantics).
 */
import { tf } from '../../backend/tf.js';
import { beatsRelativeBucket } from '../../blocks/beatsEncoderLayer.js';
import { PlanFormatError } from '../errors.js';
import { activate } from '../program.js';
import type { OpAttrs, PlanKernelOf } from '../types.js';
import type { KernelStep, LoadContext, RunContext } from './context.js';
import { applyRope, causalBias, convFilters, convNhwc, normRows, ropeTables, rotateHalfMatrix } from './math.js';
import { zipRows } from './embedZip.js';

export function compileOp(kernel: PlanKernelOf<'op'>, load: LoadContext): KernelStep {
  const { op, attrs } = kernel.params;
  const shape = [...kernel.outputs[0].shape];
  const inputs = (ctx: RunContext): tf.Tensor[] => kernel.inputs.map((_, i) => ctx.read(i));
  const one = (f: (ctx: RunContext) => tf.Tensor): KernelStep => (ctx) => [{ output: 0, tensor: fit(f(ctx), shape) }];
  switch (op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      const f = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div }[op];
      return one((ctx) => f(ctx.read(0), ctx.read(1)));
    }
    case 'activation':
      return one((ctx) => activate((attrs as OpAttrs['activation']).fn, ctx.read(0)));
    case 'matmul': {
      const a = attrs as OpAttrs['matmul'];
      return one((ctx) => tf.matMul(ctx.read(0), ctx.read(1), a.transposeA, a.transposeB));
    }
    case 'conv1d':
    case 'conv2d': {
      const two = op === 'conv2d';
      const a = attrs as OpAttrs['conv2d'] | OpAttrs['conv1d'];
      const stride: [number, number] = two ? [...(a as OpAttrs['conv2d']).stride] : [1, (a as OpAttrs['conv1d']).stride];
      const padding: [number, number] = two ? [...(a as OpAttrs['conv2d']).padding] : [0, (a as OpAttrs['conv1d']).padding];
      const [n, c, h] = kernel.inputs[0].shape;
      return one((ctx) => {
        const f = convFilters(ctx.read(1), kernel.inputs.length > 2 ? ctx.read(2) : null, a.groups);
        const x = two ? (ctx.read(0, [0, 2, 3, 1]) as tf.Tensor4D) : (tf.reshape(ctx.read(0, [0, 2, 1]), [n, 1, h, c]) as tf.Tensor4D);
        const y = convNhwc(x, f, stride, padding, 'linear');
        return two ? tf.transpose(y, [0, 3, 1, 2]) : tf.transpose(tf.reshape(y, [n, y.shape[2], y.shape[3]]), [0, 2, 1]);
      });
    }
    case 'avg_pool2d': {
      const a = attrs as OpAttrs['avg_pool2d'];
      return one((ctx) => tf.transpose(tf.avgPool(ctx.read(0, [0, 2, 3, 1]) as tf.Tensor4D, a.kernel, a.stride, 'valid'), [0, 3, 1, 2]));
    }
    case 'layernorm':
      return one((ctx) => normRows(ctx.read(0), 'layernorm', (attrs as OpAttrs['layernorm']).eps, ctx.read(1), ctx.read(2)));
    case 'rmsnorm':
      return one((ctx) => normRows(ctx.read(0), 'rmsnorm', (attrs as OpAttrs['rmsnorm']).eps, ctx.read(1), null));
    case 'weight_norm': {
      const dim = (attrs as OpAttrs['weight_norm']).dim;
      return one((ctx) => {
        const [g, v] = inputs(ctx);
        const axes = v.shape.map((_, i) => i).filter((i) => i !== dim);
        const norm = tf.sqrt(tf.sum(tf.square(v), axes, true));
        return tf.div(tf.mul(tf.reshape(g, norm.shape), v), norm);
      });
    }
    case 'softmax': {
      const rank = kernel.inputs[0].shape.length;
      const axis = ((attrs as OpAttrs['softmax']).axis + rank) % rank;
      return one((ctx) => {
        if (axis === rank - 1) return tf.softmax(ctx.read(0));
        const perm = [...Array(rank).keys()].filter((i) => i !== axis).concat(axis);
        return tf.transpose(tf.softmax(ctx.read(0, perm)), inverse(perm));
      });
    }
    case 'reduce_sum': {
      const a = attrs as OpAttrs['reduce_sum'];
      return one((ctx) => tf.sum(ctx.read(0), [...a.axes], a.keepDims));
    }
    case 'reshape':
      return one((ctx) => tf.reshape(ctx.read(0), shape));
    case 'transpose':
      return one((ctx) => ctx.read(0, (attrs as OpAttrs['transpose']).perm));
    case 'broadcast_to':
      return one((ctx) => tf.broadcastTo(ctx.read(0), shape));
    case 'concat':
      return one((ctx) => tf.concat(inputs(ctx), (attrs as OpAttrs['concat']).axis));
    case 'slice': {
      const a = attrs as OpAttrs['slice'];
      return one((ctx) => {
        const x = ctx.read(0);
        const begin = x.shape.map((_, i) => (i === a.axis ? a.start : 0));
        const size = x.shape.map((d, i) => (i === a.axis ? a.end - a.start : d));
        return tf.slice(x, begin, size);
      });
    }
    case 'repeat': {
      const a = attrs as OpAttrs['repeat'];
      const inShape = kernel.inputs[0].shape;
      const outer = inShape.slice(0, a.axis + 1).reduce((x, y) => x * y, 1);
      const inner = inShape.slice(a.axis + 1).reduce((x, y) => x * y, 1);
      return one((ctx) => tf.tile(tf.reshape(ctx.read(0), [outer, 1, inner]), [1, a.times, 1]));
    }
    case 'gather':
      return one((ctx) => tf.gather(ctx.read(0), ctx.read(1)));
    case 'rope': {
      const a = attrs as OpAttrs['rope'];
      const [b, h, s, d] = kernel.inputs[0].shape;
      load.needsHost(1);
      const rotate = load.own(tf.tidy(() => tf.reshape(rotateHalfMatrix(d, a.rotaryDim), [1, d, d])));
      return one((ctx) => {
        const [cos, sin] = ctx.memo(`rope:${ctx.operandKey(1)}:${a.theta}:${a.rotaryDim}:${d}:${h}`, () => {
          const t = ropeTables(ctx.hostInts(1), d, a.rotaryDim, a.theta, h);
          return [t.cos, t.sin];
        });
        // x [b, h, s, d] read as [b·s, h·d] so rows match the tables' [b·s] rows.
        const x = ctx.read(0, [0, 2, 1, 3], [b * s, h * d]);
        const y = applyRope(x, { cos, sin }, rotate, d);
        return tf.transpose(tf.reshape(y, [b, s, h, d]), [0, 2, 1, 3]);
      });
    }
    case 'causal_mask': {
      const negative = (attrs as OpAttrs['causal_mask']).negative;
      const [b, , s, t] = shape;
      load.needsHost(0);
      return one((ctx) => tf.stack(causalBias(ctx.hostInts(0), b, s, t, 0, negative)));
    }
    case 'rel_pos_buckets': {
      const a = attrs as OpAttrs['rel_pos_buckets'];
      const n = a.length;
      const ids = new Int32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ids[i * n + j] = beatsRelativeBucket(j - i, a.buckets, a.maxDistance);
      return one(() => tf.tensor2d(ids, [n, n], 'int32'));
    }
    case 'zip': {
      const placeholders = (attrs as OpAttrs['zip']).placeholders;
      const [, seq, hidden] = shape;
      load.needsHost(1);
      return one((ctx) => {
        // Rows of [embeds; senses…]: text positions keep their own row of `embeds`.
        const ids = ctx.hostInts(1);
        const { rows, textIds } = zipRows(ids, seq, Number.MAX_SAFE_INTEGER, placeholders);
        const senseIds = new Set(placeholders.map((p) => p.tokenId));
        const all = new Int32Array(ids.length);
        for (let i = 0; i < ids.length; i++) all[i] = senseIds.has(ids[i]) ? ids.length + rows[i] - textIds.length : i;
        const source = tf.concat([tf.reshape(ctx.read(0), [-1, hidden]), ...placeholders.map((_, k) => tf.reshape(ctx.read(2 + k), [-1, hidden]))]);
        return tf.gather(source, tf.tensor1d(all, 'int32'));
      });
    }
    default:
      throw new PlanFormatError(`kernel ${kernel.id} (\`${kernel.label}\`) is an \`${op}\` op, which the tfjs executor does not know`, 'regenerate the plan with this version of mimo');
  }
}

function fit(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (x.shape.join() === shape.join()) return x;
  if (x.size === shape.reduce((a, b) => a * b, 1)) return tf.reshape(x, [...shape]);
  return tf.broadcastTo(x, [...shape]);
}

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
