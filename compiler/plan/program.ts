/**
 * Building elementwise programs (the `Program` of fused epilogues, norm prologues and
 * elementwise kernels) out of primitive IR ops, and the op classification the passes share.
 */
import type { ActivationFn, OpKind } from '../ir/types.js';
import type { AnyKernel, KernelGraph } from './graph.js';
import type { Instr, Program } from './types.js';

/** IR ops a program can express (TVM's elementwise and broadcast kinds). */
export const POINTWISE_OPS: ReadonlySet<OpKind> = new Set<OpKind>(['add', 'sub', 'mul', 'div', 'activation']);

export function isPointwiseOpKernel(k: AnyKernel): boolean {
  return k.kind === 'op' && POINTWISE_OPS.has(k.params.op);
}

/**
 * An append-only program under construction with its operand list: `load(value)` adds the value
 * to `inputs` once and reads it; constant values become `const` instructions.
 */
export class ProgramBuilder {
  readonly instrs: Instr[] = [];

  constructor(
    private readonly graph: KernelGraph,
    /** The kernel's operand list; loads append to it. */
    readonly inputs: number[],
    readonly roles: string[],
  ) {}

  private push(instr: Instr): number {
    this.instrs.push(instr);
    return this.instrs.length - 1;
  }

  load(value: number, role = 'load'): number {
    const def = this.graph.value(value).def;
    if (def.kind === 'constant' && this.graph.value(value).shape.length === 0) return this.push({ op: 'const', value: def.value });
    let index = this.inputs.indexOf(value);
    if (index < 0) {
      index = this.inputs.length;
      this.inputs.push(value);
      this.roles.push(role);
    }
    return this.push({ op: 'load', input: index });
  }

  acc(part: number): number {
    return this.push({ op: 'acc', part });
  }

  constant(value: number): number {
    return this.push({ op: 'const', value });
  }

  binary(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number {
    return this.push({ op, a, b });
  }

  activation(fn: ActivationFn, a: number): number {
    return this.push({ op: 'activation', fn, a });
  }

  /** Copies a program in, mapping its `acc(part)` through `accs` and its loads to this builder's operands. */
  inline(program: Program, programInputs: readonly number[], accs: (part: number) => number, loadAt?: (input: number) => number | undefined): number {
    const map: number[] = [];
    for (const ins of program) {
      switch (ins.op) {
        case 'load': {
          const special = loadAt?.(ins.input);
          map.push(special ?? this.load(programInputs[ins.input]));
          break;
        }
        case 'acc':
          map.push(accs(ins.part));
          break;
        case 'const':
          map.push(this.constant(ins.value));
          break;
        case 'activation':
          map.push(this.activation(ins.fn, map[ins.a]));
          break;
        default:
          map.push(this.binary(ins.op, map[ins.a], map[ins.b]));
      }
    }
    return map[map.length - 1];
  }

  /**
   * Appends a pointwise op kernel with `current` standing for operand `self` (the chain's value);
   * other operands are loaded, or inlined via `operand` when it returns a register.
   */
  applyOp(kernel: AnyKernel, self: number, current: number, operand?: (value: number) => number | undefined): number {
    if (kernel.kind !== 'op') throw new Error('applyOp needs an op kernel');
    const regs = kernel.inputs.map((v) => (v === self ? current : (operand?.(v) ?? this.load(v))));
    const op = kernel.params.op;
    if (op === 'activation') return this.activation((kernel.params.attrs as { fn: ActivationFn }).fn, regs[0]);
    if (op === 'add' || op === 'sub' || op === 'mul' || op === 'div') return this.binary(op, regs[0], regs[1]);
    throw new Error(`${op} is not pointwise`);
  }

  /** The program with its result as the last instruction (dead instructions dropped). */
  finish(result: number): Program {
    const keep = new Set<number>();
    const visit = (r: number): void => {
      if (keep.has(r)) return;
      keep.add(r);
      const ins = this.instrs[r];
      if (ins.op === 'activation') visit(ins.a);
      else if (ins.op === 'add' || ins.op === 'sub' || ins.op === 'mul' || ins.op === 'div') {
        visit(ins.a);
        visit(ins.b);
      }
    };
    visit(result);
    const order = [...keep].sort((a, b) => a - b);
    if (order[order.length - 1] !== result) throw new Error('program result must be its last instruction');
    const renumber = new Map(order.map((r, i) => [r, i]));
    return order.map((r) => {
      const ins = this.instrs[r];
      if (ins.op === 'activation') return { ...ins, a: renumber.get(ins.a) as number };
      if (ins.op === 'add' || ins.op === 'sub' || ins.op === 'mul' || ins.op === 'div') return { ...ins, a: renumber.get(ins.a) as number, b: renumber.get(ins.b) as number };
      return ins;
    });
  }
}

/** Arithmetic cost of one evaluation of a program (an activation counts as several flops). */
export function programFlops(program: Program): number {
  let n = 0;
  for (const ins of program) {
    if (ins.op === 'activation') n += ACTIVATION_FLOPS[ins.fn];
    else if (ins.op === 'add' || ins.op === 'sub' || ins.op === 'mul' || ins.op === 'div') n += 1;
  }
  return n;
}

/** Approximate flops per element of each activation (exp/erf/tanh counted as a handful). */
export const ACTIVATION_FLOPS: Readonly<Record<ActivationFn, number>> = {
  relu: 1,
  sigmoid: 4,
  tanh: 5,
  silu: 5,
  quick_gelu: 6,
  gelu: 10,
  gelu_tanh: 9,
};

/** Text of a program for labels (`acc0+load2`, `silu(acc0)*acc1`). */
export function describeProgram(program: Program): string {
  const text: string[] = [];
  for (const ins of program) {
    switch (ins.op) {
      case 'load':
        text.push(`in${ins.input}`);
        break;
      case 'acc':
        text.push(`acc${ins.part}`);
        break;
      case 'const':
        text.push(String(ins.value));
        break;
      case 'activation':
        text.push(`${ins.fn}(${text[ins.a]})`);
        break;
      default: {
        const sym = { add: '+', sub: '-', mul: '*', div: '/' }[ins.op];
        text.push(`(${text[ins.a]}${sym}${text[ins.b]})`);
      }
    }
  }
  return text[text.length - 1] ?? '';
}
