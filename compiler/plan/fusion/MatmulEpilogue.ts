/**
 * MatmulEpilogue: the elementwise and broadcast ops after an out-elementwise-fusable kernel —
 * bias add, activation, scaling, residual add (BEATs' x·α + y included) — join its epilogue
 * program and run in registers before the single write. Applies to matmuls, convolutions and
 * reductions (converted from their primitive ops here). An op joins when the kernel's output is
 * its only use and it has the output's shape; its other operands are loaded (or inlined when a
 * single-use pointwise op makes them) and must exist before the kernel runs.
 * Runs before ElementwiseChains: were bias + activation fused into their own elementwise kernel
 * first, the matmul would be left bare (ONNX Runtime's MatMul+Add→Gemm vs BiasGelu lesson, in
 * reverse; tested in test/plan/fusion-order).
 */
import type { OpAttrs } from '../../ir/types.js';
import type { AnyKernel, Kernel, KernelGraph } from '../graph.js';
import { ProgramBuilder, isPointwiseOpKernel } from '../program.js';
import type { Program } from '../types.js';
import { asMatmulKernel } from './matmulKernel.js';
import { isPersistent } from './PrepareWeights.js';
import type { FusionPass } from './pass.js';

export const MatmulEpilogue: FusionPass = {
  name: 'MatmulEpilogue',
  description: 'bias, activation, scale, residual after matmul/conv/reduce → its epilogue',
  run(g) {
    for (const original of [...g.kernels]) {
      if (original.stage !== 'forward') continue;
      const kernel = asEpilogueKernel(g, original);
      if (kernel === undefined) continue;
      for (let i = 0; i < kernel.outputs.length; i++) {
        while (absorbNext(g, kernel, i));
      }
    }
  },
};

type EpilogueKernel = Kernel<'matmul'> | Kernel<'conv'> | Kernel<'reduce'>;

/** Converts primitive matmul/conv/reduce_sum op kernels into their fused kinds (in place). */
export function asEpilogueKernel(g: KernelGraph, kernel: AnyKernel): EpilogueKernel | undefined {
  if (kernel.kind === 'matmul' || kernel.kind === 'conv' || kernel.kind === 'reduce') return kernel;
  if (kernel.kind !== 'op') return undefined;
  const op = kernel.params.op;
  if (op === 'matmul') return asMatmulKernel(g, kernel);
  if (op === 'conv1d' || op === 'conv2d') {
    const converted = kernel as unknown as Kernel<'conv'>;
    const attrs = kernel.params.attrs as OpAttrs['conv1d'] | OpAttrs['conv2d'];
    const two = op === 'conv2d';
    (converted as { kind: string }).kind = 'conv';
    g.setInputs(converted, kernel.inputs, kernel.inputs.length === 3 ? ['x', 'w', 'bias'] : ['x', 'w']);
    converted.params = {
      dims: two ? 2 : 1,
      stride: two ? [...(attrs as OpAttrs['conv2d']).stride] : [(attrs as OpAttrs['conv1d']).stride],
      padding: two ? [...(attrs as OpAttrs['conv2d']).padding] : [(attrs as OpAttrs['conv1d']).padding],
      groups: attrs.groups,
      bias: kernel.inputs.length === 3,
      program: [{ op: 'acc', part: 0 }],
    };
    converted.label = op;
    return converted;
  }
  if (op === 'reduce_sum') {
    const converted = kernel as unknown as Kernel<'reduce'>;
    const attrs = kernel.params.attrs as OpAttrs['reduce_sum'];
    (converted as { kind: string }).kind = 'reduce';
    g.setInputs(converted, kernel.inputs, ['x']);
    converted.params = { axes: [...attrs.axes], keepDims: attrs.keepDims, program: [{ op: 'acc', part: 0 }] };
    converted.label = 'reduce_sum';
    return converted;
  }
  return undefined;
}

function programOf(kernel: EpilogueKernel, output: number): Program {
  return kernel.kind === 'matmul' ? kernel.params.outputs[output].program : kernel.params.program;
}

function setProgram(kernel: EpilogueKernel, output: number, program: Program): void {
  if (kernel.kind === 'matmul') {
    const outputs = [...kernel.params.outputs];
    outputs[output] = { ...outputs[output], program };
    kernel.params = { ...kernel.params, outputs };
  } else {
    kernel.params = { ...kernel.params, program } as never;
  }
}

/** True when the value exists before `kernel` runs (a source, a prepared tensor, or an earlier kernel's result). */
export function availableBefore(g: KernelGraph, value: number, kernel: AnyKernel): boolean {
  if (isPersistent(g, value)) return true;
  const root = g.value(g.root(value));
  if (root.def.kind !== 'kernel') return true;
  const p = g.producer(root.id);
  return p !== undefined && p.id !== kernel.id && p.order < kernel.order;
}

/**
 * A single-use pointwise op kernel producing `value` that can be computed inside `kernel`
 * instead (its operands available before it, recursively), or undefined.
 */
export function inlinable(g: KernelGraph, value: number, kernel: AnyKernel, depth = 0): AnyKernel | undefined {
  if (depth > 8 || g.value(value).def.kind !== 'kernel' || g.uses(value) !== 1) return undefined;
  const p = g.producer(value);
  if (p === undefined || !isPointwiseOpKernel(p) || p.stage !== 'forward') return undefined;
  const ok = p.inputs.every((v) => availableBefore(g, v, kernel) || inlinable(g, v, kernel, depth + 1) !== undefined);
  return ok ? p : undefined;
}

/** Emits `value` into the builder: inlined when a single-use pointwise op makes it, else loaded. */
export function emitOperand(g: KernelGraph, b: ProgramBuilder, value: number, kernel: AnyKernel, absorbed: AnyKernel[]): number {
  const p = inlinable(g, value, kernel);
  if (p === undefined) return b.load(value);
  absorbed.push(p);
  return b.applyOp(p, -1, -1, (v) => emitOperand(g, b, v, kernel, absorbed));
}

function absorbNext(g: KernelGraph, kernel: EpilogueKernel, index: number): boolean {
  if (kernel.kind === 'matmul' && kernel.params.outputs[index].rope !== null) return false;
  const out = kernel.outputs[index];
  if (g.uses(out) !== 1) return false;
  const readers = g.readers(out);
  if (readers.length !== 1) return false;
  const e = readers[0];
  if (!isPointwiseOpKernel(e) || e.stage !== 'forward') return false;
  const eOut = e.outputs[0];
  const shape = g.value(out).shape;
  const eShape = g.value(eOut).shape;
  if (eShape.length !== shape.length || eShape.some((d, i) => d !== shape[i])) return false;
  for (const v of e.inputs) {
    if (v === out) continue;
    if (!availableBefore(g, v, kernel) && inlinable(g, v, kernel) === undefined) return false;
  }
  const inputs = [...kernel.inputs];
  const roles = [...kernel.roles];
  const b = new ProgramBuilder(g, inputs, roles);
  const current = b.inline(programOf(kernel, index), kernel.inputs, (part) => b.acc(part));
  const absorbed: AnyKernel[] = [];
  const result = b.applyOp(e, out, current, (v) => (v === out ? current : emitOperand(g, b, v, kernel, absorbed)));
  setProgram(kernel, index, b.finish(result));
  g.removeKernels([e.id, ...absorbed.map((a) => a.id)]);
  g.setInputs(kernel, inputs, roles);
  g.setOutputs(kernel, kernel.outputs.map((o, j) => (j === index ? eOut : o)));
  kernel.ir = [...kernel.ir, ...e.ir, ...absorbed.flatMap((a) => a.ir)].sort((x, y) => x - y);
  return true;
}
