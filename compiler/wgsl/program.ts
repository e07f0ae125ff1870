/**
 * Compiles an elementwise `Program` (the plan's epilogue language) to straight-line WGSL:
 * one `let` per instruction, the last one is the value.
 */
import { f32Literal } from './builder.js';
import { activationCall } from './prelude.js';
import type { Program } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface ProgramContext {
  /** f32 expression of load operand `input` at the current element. */
  load(input: number): string;
  /** f32 expression of accumulator `part` at the current element. */
  acc(part: number): string;
}

export interface CompiledProgram {
  readonly code: string;
  readonly value: string;
}

export function compileProgram(kernel: string, program: Program, ctx: ProgramContext, prefix: string): CompiledProgram {
  if (program.length === 0) throw new WgslDescriptorError(kernel, 'empty elementwise program');
  const lines: string[] = [];
  const reg = (i: number, at: number): string => {
    if (!Number.isInteger(i) || i < 0 || i >= at) throw new WgslDescriptorError(kernel, `instruction ${at} reads register ${i} before it is defined`);
    return `${prefix}${i}`;
  };
  program.forEach((ins, i) => {
    let e: string;
    switch (ins.op) {
      case 'load':
        e = ctx.load(ins.input);
        break;
      case 'acc':
        e = ctx.acc(ins.part);
        break;
      case 'const':
        e = f32Literal(ins.value);
        break;
      case 'add':
        e = `${reg(ins.a, i)} + ${reg(ins.b, i)}`;
        break;
      case 'sub':
        e = `${reg(ins.a, i)} - ${reg(ins.b, i)}`;
        break;
      case 'mul':
        e = `${reg(ins.a, i)} * ${reg(ins.b, i)}`;
        break;
      case 'div':
        e = `${reg(ins.a, i)} / ${reg(ins.b, i)}`;
        break;
      case 'activation':
        e = activationCall(ins.fn, reg(ins.a, i));
        break;
      default: {
        const never: never = ins;
        throw new WgslDescriptorError(kernel, `unknown instruction ${JSON.stringify(never)}`);
      }
    }
    lines.push(`let ${prefix}${i}: f32 = ${e};`);
  });
  return { code: lines.join('\n'), value: `${prefix}${program.length - 1}` };
}

/** Load operands a program reads, and accumulator parts it uses (ascending, distinct). */
export function programUses(program: Program): { loads: number[]; parts: number[] } {
  const loads = new Set<number>();
  const parts = new Set<number>();
  for (const ins of program) {
    if (ins.op === 'load') loads.add(ins.input);
    if (ins.op === 'acc') parts.add(ins.part);
  }
  return { loads: [...loads].sort((a, b) => a - b), parts: [...parts].sort((a, b) => a - b) };
}

/** The identity program: the accumulator itself. */
export const ACC_ONLY: Program = [{ op: 'acc', part: 0 }];
