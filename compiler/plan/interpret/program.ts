/** Evaluates an elementwise program at one element, in float32. */
import type { Program } from '../types.js';
import { activate, f32 } from './math.js';
import { binaryScalar } from './ops.js';

export function evalProgram(program: Program, regs: Float64Array, load: (input: number) => number, acc: (part: number) => number): number {
  for (let r = 0; r < program.length; r++) {
    const ins = program[r];
    switch (ins.op) {
      case 'load':
        regs[r] = load(ins.input);
        break;
      case 'acc':
        regs[r] = acc(ins.part);
        break;
      case 'const':
        regs[r] = f32(ins.value);
        break;
      case 'activation':
        regs[r] = activate(ins.fn, regs[ins.a]);
        break;
      default:
        regs[r] = binaryScalar(ins.op, regs[ins.a], regs[ins.b]);
    }
  }
  return regs[program.length - 1];
}
