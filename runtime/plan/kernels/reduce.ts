/** `reduce` kernels: one `tf.sum` over the axes, then the epilogue program on the sums. */
import { tf } from '../../backend/tf.js';
import { evalProgram } from '../program.js';
import type { PlanKernelOf } from '../types.js';
import type { KernelStep } from './context.js';

export function compileReduce(kernel: PlanKernelOf<'reduce'>): KernelStep {
  const p = kernel.params;
  const shape = kernel.outputs[0].shape;
  return (ctx) => {
    const sum = tf.reshape(tf.sum(ctx.read(0), [...p.axes], p.keepDims), [...shape]);
    let y = evalProgram(p.program, { load: (i) => ctx.read(i), acc: () => sum });
    if (y.shape.join() !== shape.join()) y = tf.broadcastTo(y, [...shape]);
    return [{ output: 0, tensor: y }];
  };
}
