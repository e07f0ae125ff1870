/** `elementwise` kernels: the program as tfjs ops (broadcasting as NumPy does), one op per instruction. */
import { tf } from '../../backend/tf.js';
import { evalProgram } from '../program.js';
import type { PlanKernelOf } from '../types.js';
import type { KernelStep } from './context.js';

export function compileElementwise(kernel: PlanKernelOf<'elementwise'>): KernelStep {
  const shape = kernel.outputs[0].shape;
  return (ctx) => {
    let y = evalProgram(kernel.params.program, {
      load: (i) => ctx.read(i),
      acc: () => {
        throw new Error('an elementwise program has no accumulator');
      },
    });
    if (y.shape.join() !== shape.join()) y = tf.broadcastTo(y, [...shape]);
    return [{ output: 0, tensor: y }];
  };
}
