/**
 * Elementwise programs (fused epilogues, prologues, elementwise kernels) evaluated with tfjs ops,
 * one op per instruction, and the analysis that finds the part of a matmul/conv epilogue tfjs can
 * run inside its fused kernel (bias add, then relu or sigmoid).
 *
 * Activations keep the plan's exact definitions: tfjs's fused matmul/conv activations are only
 * relu, relu6, elu, prelu, leakyrelu and sigmoid, so `relu` and `sigmoid` fuse; every GELU form and
 * SiLU run as tfjs ops after the fused product+bias — `gelu` as the exact erf form
 * 0.5·x·(1+erf(x/√2)), `gelu_tanh` as the tanh form, `quick_gelu` as x·σ(1.702x) — never swapped for
 * one another.
 */
import { tf } from '../backend/tf.js';
import { activation } from '../layers/activation.js';
import type { ActivationFn, Instr, Program } from './types.js';

/** The plan's pointwise functions: the runtime's activations, plus the two plain tfjs ones. */
export function activate(fn: ActivationFn, x: tf.Tensor): tf.Tensor {
  if (fn === 'sigmoid') return tf.sigmoid(x);
  if (fn === 'tanh') return tf.tanh(x);
  return activation(x, fn);
}

export interface ProgramSources {
  /** Operand `input` of the kernel, at its logical shape (broadcast against the result by tfjs). */
  load(input: number): tf.Tensor;
  /** The kernel's own value of packed part `part`. */
  acc(part: number): tf.Tensor;
}

/**
 * Evaluates the registers the result depends on, in order; `preset` registers (already computed
 * by a fused kernel) are taken as given and their operands never evaluated.
 */
export function evalProgram(program: Program, sources: ProgramSources, preset: ReadonlyMap<number, tf.Tensor> = new Map()): tf.Tensor {
  const needed = neededRegisters(program, preset);
  const regs = new Map<number, tf.Tensor>(preset);
  const loads = new Map<number, tf.Tensor>();
  // Registers this evaluation computed (not loads, accumulators or presets, which others own) are
  // freed after their last reader: a long epilogue then holds two or three [rows, width] values,
  // not one per instruction until the caller's tidy ends.
  const readers = useCounts(program, (r) => needed.has(r) && !preset.has(r));
  const last = program.length - 1;
  for (let r = 0; r < program.length; r++) {
    if (!needed.has(r) || regs.has(r)) continue;
    const ins = program[r];
    regs.set(r, evalInstr(ins, regs, sources, loads));
    for (const o of operandsOf(ins)) {
      if (--readers[o] === 0 && o !== last && !preset.has(o) && ownsResult(program[o])) (regs.get(o) as tf.Tensor).dispose();
    }
  }
  return regs.get(last) as tf.Tensor;
}

/** Whether an instruction's value is a tensor the evaluation made (so may free). */
function ownsResult(ins: Instr): boolean {
  return ins.op !== 'load' && ins.op !== 'acc';
}

function evalInstr(ins: Instr, regs: Map<number, tf.Tensor>, sources: ProgramSources, loads: Map<number, tf.Tensor>): tf.Tensor {
  const reg = (i: number): tf.Tensor => regs.get(i) as tf.Tensor;
  switch (ins.op) {
    case 'load': {
      let t = loads.get(ins.input);
      if (t === undefined) {
        t = sources.load(ins.input);
        loads.set(ins.input, t);
      }
      return t;
    }
    case 'acc':
      return sources.acc(ins.part);
    case 'const':
      return tf.scalar(ins.value);
    case 'add':
      return tf.add(reg(ins.a), reg(ins.b));
    case 'sub':
      return tf.sub(reg(ins.a), reg(ins.b));
    case 'mul':
      return tf.mul(reg(ins.a), reg(ins.b));
    case 'div':
      return tf.div(reg(ins.a), reg(ins.b));
    case 'activation':
      return activate(ins.fn, reg(ins.a));
  }
}

function operandsOf(ins: Instr): number[] {
  switch (ins.op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return [ins.a, ins.b];
    case 'activation':
      return [ins.a];
    default:
      return [];
  }
}

function neededRegisters(program: Program, preset: ReadonlyMap<number, unknown>): Set<number> {
  const needed = new Set<number>();
  const stack = [program.length - 1];
  while (stack.length > 0) {
    const r = stack.pop() as number;
    if (needed.has(r)) continue;
    needed.add(r);
    if (!preset.has(r)) stack.push(...operandsOf(program[r]));
  }
  return needed;
}

/** How many instructions read each register (only instructions `counted` says, default all). */
function useCounts(program: Program, counted: (register: number) => boolean = () => true): number[] {
  const uses = new Array<number>(program.length).fill(0);
  program.forEach((ins, r) => {
    if (counted(r)) for (const o of operandsOf(ins)) uses[o]++;
  });
  return uses;
}

/** The part of an epilogue a fused tfjs matmul/conv computes itself. */
export interface FusedCore {
  /** The accumulator part it starts from. */
  readonly part: number;
  /** Operand index of a bias added to it, or null. */
  readonly bias: number | null;
  readonly activation: 'relu' | 'sigmoid' | null;
  /** The register holding the fused result (the rest of the program reads it as a preset). */
  readonly register: number;
  /** The register before the activation (the fused result when the activation is left out). */
  readonly preActivation: number;
}

/**
 * Finds `activation?(acc(p) + load(bias)?)` at the start of the program's data flow, where each
 * step is read once. `isBias(input)` says whether a load can be a fused bias (a persistent 1-D
 * tensor of the output's width); only relu and sigmoid fuse (see the module comment).
 */
export function fusedCore(program: Program, isBias: (input: number) => boolean, allowBias = true): FusedCore | undefined {
  const accs = program.map((ins, r) => (ins.op === 'acc' ? r : -1)).filter((r) => r >= 0);
  if (accs.length !== 1) return undefined;
  const uses = useCounts(program);
  let register = accs[0];
  const part = (program[register] as { part: number }).part;
  let bias: number | null = null;
  let activation: FusedCore['activation'] = null;
  let preActivation = register;
  const reader = (r: number): number => program.findIndex((ins) => operandsOf(ins).includes(r));
  if (uses[register] === 1 && allowBias) {
    const next = reader(register);
    const ins = program[next];
    if (ins.op === 'add') {
      const other = ins.a === register ? ins.b : ins.a;
      const load = program[other];
      if (load.op === 'load' && isBias(load.input) && uses[other] === 1) {
        bias = load.input;
        register = next;
      }
    }
  }
  preActivation = register;
  if (register !== program.length - 1 && uses[register] === 1) {
    const ins = program[reader(register)];
    if (ins.op === 'activation' && (ins.fn === 'relu' || ins.fn === 'sigmoid')) {
      activation = ins.fn;
      register = reader(register);
    }
  }
  return { part, bias, activation, register, preActivation };
}

/** The accumulator parts a program reads. */
export function accParts(program: Program): number[] {
  return [...new Set(program.filter((i) => i.op === 'acc').map((i) => (i as { part: number }).part))];
}

/** True when the program is just `acc(part)`. */
export function isBareAcc(program: Program): boolean {
  return program.length === 1 && program[0].op === 'acc';
}
