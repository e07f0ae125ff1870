/**
 * `norm` kernels: the prologue (a residual add, a position add) evaluated with tfjs ops, then
 * LayerNorm or RMSNorm over the last axis; with `writeSum` the pre-norm sum is the second output
 * (the residual stream later kernels read). tfjs has no fused norm op, so this is a handful of ops
 * per kernel: the fusion gain here is not writing the sum separately from the norm.
 */
import { tf } from '../../backend/tf.js';
import { evalProgram } from '../program.js';
import type { PlanKernelOf } from '../types.js';
import type { KernelStep, KernelWrite } from './context.js';
import { normRows, rowwise } from './math.js';

export function compileNorm(kernel: PlanKernelOf<'norm'>): KernelStep {
  const p = kernel.params;
  const shape = kernel.outputs[0].shape;
  const rows: readonly number[] = [p.rows, p.width];
  // Loads of the output's own shape are read as [rows, width] (no reshapes); others broadcast as they are.
  const same = (i: number): boolean => kernel.inputs[i].shape.join() === shape.join();
  const loads = p.prologue.filter((ins) => ins.op === 'load').map((ins) => (ins as { input: number }).input);
  const flat = loads.some(same) && loads.every((i) => rowwise(kernel.inputs[i].shape, shape));
  const working = flat ? rows : shape;
  return (ctx) => {
    let x = evalProgram(p.prologue, {
      load: (i) => (flat && same(i) ? ctx.read(i, undefined, rows) : ctx.read(i)),
      acc: () => {
        throw new Error('a norm prologue has no accumulator');
      },
    });
    if (x.shape.join() !== working.join()) x = tf.reshape(tf.broadcastTo(x, [...shape]), [...working]);
    const normed = normRows(x, p.fn, p.eps, ctx.read(p.gamma), p.beta === null ? null : ctx.read(p.beta));
    const writes: KernelWrite[] = [{ output: 0, tensor: normed }];
    if (p.writeSum) writes.push({ output: 1, tensor: x });
    return writes;
  };
}
