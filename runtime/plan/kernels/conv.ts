/**
 * `conv` kernels → `tf.fused.conv2d` (or `depthwiseConv2d`) in NHWC, the layout tfjs's CPU and wasm
 * convolutions take: the NCHW input is read channels-last (the transpose folded into the read of
 * its view), filters are rearranged to HWIO once at load time, and the bias plus a relu or sigmoid
 * run fused. Grouped convolutions (BEATs' positional conv) run one convolution per group. The
 * NHWC result is handed to the buffer table as a pending transpose of the plan's NCHW output, so a
 * reader that wants channels-last (a patch embedding's flatten) gets it without a copy.
 */
import { tf } from '../../backend/tf.js';
import { evalProgram, fusedCore } from '../program.js';
import type { PlanKernelOf } from '../types.js';
import type { KernelStep, LoadContext } from './context.js';
import { type ConvFilters, convFilters, convNhwc } from './math.js';
import { squeezedLayout } from '../storage.js';

export function compileConv(kernel: PlanKernelOf<'conv'>, load: LoadContext): KernelStep {
  const p = kernel.params;
  const two = p.dims === 2;
  const xOp = kernel.inputs[0];
  const biasOp = p.bias ? kernel.inputs[2] : undefined;
  const persistent = load.isPersistent(1) && (biasOp === undefined || load.isPersistent(2));
  const owned = (f: ConvFilters): ConvFilters => ({ filters: f.filters.map((t) => load.own(t)), biases: f.biases.map((t) => (t === null ? null : load.own(t))), depthwise: f.depthwise });
  let filters: ConvFilters | undefined;
  if (persistent) {
    tf.tidy(() => {
      filters = owned(convFilters(load.take(1), biasOp === undefined ? null : load.take(2), p.groups));
    });
  }
  // The bias is inside the accumulator; only an activation can join the fused kernel.
  const core = fusedCore(p.program, () => false, false);
  const activation = core?.activation ?? 'linear';
  const bare = core !== undefined && core.register === p.program.length - 1;
  const [n, , h] = xOp.shape;
  const out = kernel.outputs[0].shape;
  const cout = out[1];
  const oh = out[2];
  const ow = two ? out[3] : 1;
  const stride: [number, number] = two ? [p.stride[0], p.stride[1]] : [1, p.stride[0]];
  const padding: [number, number] = two ? [p.padding[0], p.padding[1]] : [0, p.padding[0]];
  // y is [n, oh, ow, cout]; the plan's output is [n, cout, oh(, ow)].
  const layout = squeezedLayout([n, oh, ow, cout], [0, 3, 1, 2]);
  return (ctx) => {
    const f = filters ?? convFilters(ctx.read(1), biasOp === undefined ? null : ctx.read(2), p.groups);
    const x = two ? (ctx.read(0, [0, 2, 3, 1]) as tf.Tensor4D) : (tf.reshape(ctx.read(0, [0, 2, 1]), [n, 1, h, xOp.shape[1]]) as tf.Tensor4D);
    const y = convNhwc(x, f, stride, padding, activation);
    if (bare) return [{ output: 0, tensor: y, layout }];
    const nchw = tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [...out]);
    const preset = new Map<number, tf.Tensor>(core === undefined ? [] : [[core.register, nchw]]);
    return [{ output: 0, tensor: evalProgram(p.program, { load: (i) => ctx.read(i), acc: () => nchw }, preset) }];
  };
}
