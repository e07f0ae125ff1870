/**
 * Plan `op` kernels (IR ops no pass fused) → the generator that computes the op's definition:
 * arithmetic and activations as elementwise programs (folded scalar constants inlined), data
 * movement as copies, the rest by their own kernels. `rel_pos_buckets` (a constant table) is
 * computed here on the host, exactly as the reference defines it, and copied into place.
 */
import type { OpAttrs } from '../../ir/types.js';
import { relativeBucket } from '../../plan/interpret/math.js';
import type { PlanKernelOf } from '../../plan/types.js';
import { causalMaskKernel } from '../causalMask.js';
import { convKernel } from '../conv.js';
import { copyKernel } from '../copy.js';
import { elementwiseKernel } from '../elementwise.js';
import { gatherKernel, zipScatterKernel } from '../gather.js';
import { matmulKernel } from '../matmul.js';
import { normKernel } from '../norm.js';
import { avgPoolKernel } from '../pool.js';
import { reduceKernel } from '../reduce.js';
import { ropeKernel } from '../rope.js';
import { softmaxKernel } from '../softmax.js';
import type { Instr } from '../types.js';
import { weightNormKernel } from '../weightNorm.js';
import type { LowerContext, Lowered } from './context.js';
import { routesFor } from './embedZip.js';
import { compactLoads, PlanLoweringError } from './operands.js';

export function lowerOp(k: PlanKernelOf<'op'>, ctx: LowerContext): Lowered {
  const { buffers } = ctx;
  const label = k.label;
  const op = k.params.op;
  const attrs = k.params.attrs;
  const arg = (i: number) => {
    const o = k.inputs[i];
    if (o === undefined) throw new PlanLoweringError(`${label}: missing operand ${i}`);
    return buffers.arg(o);
  };
  const out = buffers.arg(k.outputs[0]);
  const ew = (program: Instr[]): Lowered => {
    const { programs, loads } = compactLoads(buffers, k.inputs, [program]);
    return [elementwiseKernel({ label, out, loads, program: programs[0] })];
  };
  switch (op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return ew([{ op: 'load', input: 0 }, { op: 'load', input: 1 }, { op, a: 0, b: 1 }]);
    case 'activation':
      return ew([{ op: 'load', input: 0 }, { op: 'activation', fn: (attrs as OpAttrs['activation']).fn, a: 0 }]);
    case 'matmul': {
      const a = attrs as OpAttrs['matmul'];
      const [m, n] = out.shape.slice(-2);
      const aShape = k.inputs[0].shape;
      const kk = a.transposeA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
      return [matmulKernel({ label, a: arg(0), b: arg(1), transposeA: a.transposeA, transposeB: a.transposeB, m, n, k: kk, batch: out.shape.slice(0, -2), outputs: [{ out, width: n, program: [{ op: 'acc', part: 0 }] }] })];
    }
    case 'conv1d':
    case 'conv2d': {
      const a = attrs as OpAttrs['conv1d'] | OpAttrs['conv2d'];
      const stride = typeof a.stride === 'number' ? [a.stride] : [...a.stride];
      const padding = typeof a.padding === 'number' ? [a.padding] : [...a.padding];
      return [convKernel({ label, x: arg(0), w: arg(1), ...(k.inputs.length > 2 ? { bias: arg(2) } : {}), out, stride, padding, groups: a.groups })];
    }
    case 'avg_pool2d': {
      const a = attrs as OpAttrs['avg_pool2d'];
      return [avgPoolKernel({ label, x: arg(0), out, kernel: a.kernel, stride: a.stride })];
    }
    case 'layernorm':
    case 'rmsnorm':
      return [
        normKernel({ label, fn: op, eps: (attrs as OpAttrs['layernorm']).eps, out, loads: [arg(0)], prologue: [{ op: 'load', input: 0 }], gamma: arg(1), ...(op === 'layernorm' ? { beta: arg(2) } : {}) }),
      ];
    case 'weight_norm':
      return [weightNormKernel({ label, g: arg(0), v: arg(1), out, dim: (attrs as OpAttrs['weight_norm']).dim })];
    case 'softmax':
      return [softmaxKernel({ label, input: arg(0), out, axis: (attrs as OpAttrs['softmax']).axis })];
    case 'reduce_sum': {
      const a = attrs as OpAttrs['reduce_sum'];
      return [reduceKernel({ label, input: arg(0), axes: a.axes, keepDims: a.keepDims, out })];
    }
    case 'reshape':
      return [copyKernel({ label, out, source: { kind: 'reshape', input: arg(0) } })];
    case 'broadcast_to':
      return [copyKernel({ label, out, source: { kind: 'broadcast', input: arg(0) } })];
    case 'transpose':
      return [copyKernel({ label, out, source: { kind: 'transpose', input: arg(0), perm: (attrs as OpAttrs['transpose']).perm } })];
    case 'slice': {
      const a = attrs as OpAttrs['slice'];
      return [copyKernel({ label, out, source: { kind: 'slice', input: arg(0), axis: a.axis, start: a.start } })];
    }
    case 'repeat': {
      const a = attrs as OpAttrs['repeat'];
      return [copyKernel({ label, out, source: { kind: 'repeat', input: arg(0), axis: a.axis, times: a.times } })];
    }
    case 'concat':
      return [copyKernel({ label, out, source: { kind: 'concat', inputs: k.inputs.map((_, i) => arg(i)), axis: (attrs as OpAttrs['concat']).axis } })];
    case 'gather':
      return [gatherKernel({ label, table: arg(0), ids: arg(1), out })];
    case 'rope': {
      const a = attrs as OpAttrs['rope'];
      return [ropeKernel({ label, x: arg(0), positions: arg(1), out, theta: a.theta, rotaryDim: a.rotaryDim })];
    }
    case 'causal_mask': {
      const [, , queries, keys] = out.shape;
      return [causalMaskKernel({ label, attentionMask: arg(0), out, negative: (attrs as OpAttrs['causal_mask']).negative, queryOffset: keys - queries })];
    }
    case 'zip': {
      const [embeds, ids, ...senses] = k.inputs;
      const routes = routesFor(ctx, ids, (attrs as OpAttrs['zip']).placeholders, `kernel${k.id}`);
      return [zipScatterKernel({ label, base: { kind: 'embeds', embeds: buffers.arg(embeds) }, routes, senses: senses.map((s) => buffers.arg(s)), out })];
    }
    case 'rel_pos_buckets': {
      const a = attrs as OpAttrs['rel_pos_buckets'];
      const words: number[] = [];
      for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) words.push(relativeBucket(j - i, a.buckets, a.maxDistance) >>> 0);
      const table = buffers.add({ kind: 'constant', name: `${label}.table`, bytes: words.length * 4, words });
      return [copyKernel({ label, out, source: { kind: 'reshape', input: { buffer: table, shape: [a.length, a.length], dtype: out.dtype, offset: 0 } } })];
    }
    case 'input':
    case 'weight':
    case 'constant':
      throw new PlanLoweringError(`${label}: a source op (${op}) cannot be a kernel`);
    default: {
      const never: never = op;
      throw new PlanLoweringError(`${label}: no WebGPU kernel for op ${String(never)}`);
    }
  }
}
