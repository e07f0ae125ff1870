/**
 * Elementwise chains: `out[i] = program(i)`, every load broadcast (NumPy) to the output shape.
 * One invocation per output element.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, type OperandRef } from './builder.js';
import { broadcastIndex, broadcastsTo, product, spreadWorkgroups, unravel } from './layout.js';
import { compileProgram, programUses } from './program.js';
import type { KernelSource, Program, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface ElementwiseDesc {
  readonly label?: string;
  readonly out: TensorArg;
  /** Operands the program's `load` instructions index. */
  readonly loads: readonly TensorArg[];
  /** No `acc` instructions. */
  readonly program: Program;
}

const THREADS = 256;

export function elementwiseKernel(desc: ElementwiseDesc): KernelSource {
  const label = desc.label ?? 'elementwise';
  const b = new ShaderBuilder(label);
  const { loads: used, parts } = programUses(desc.program);
  if (parts.length > 0) throw new WgslDescriptorError(label, 'an elementwise program has no accumulator');
  const refs = loadRefs(b, label, desc.loads, used, desc.out.shape);
  const out = b.operand(desc.out, true);
  const n = product(desc.out.shape);
  const idx = unravel('i', desc.out.shape);
  const prog = compileProgram(label, desc.program, { load: (k) => b.load(refs.get(k) as OperandRef, broadcastIndex(desc.loads[k].shape, idx, desc.out.shape)), acc: () => '' }, 'r');
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
${prog.code}
${b.store(out, idx, prog.value)}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}

/** Registers the load operands a program uses, checking that each broadcasts to `shape`. */
export function loadRefs(b: ShaderBuilder, label: string, loads: readonly TensorArg[], used: readonly number[], shape: readonly number[]): Map<number, OperandRef> {
  const refs = new Map<number, OperandRef>();
  for (const k of used) {
    const arg = loads[k];
    if (arg === undefined) throw new WgslDescriptorError(label, `the program loads operand ${k} but only ${loads.length} are given`);
    if (!broadcastsTo(arg.shape, shape)) {
      throw new WgslDescriptorError(label, `load operand ${k} [${arg.shape.join(', ')}] does not broadcast to [${shape.join(', ')}]`);
    }
    refs.set(k, b.operand(arg, false));
  }
  return refs;
}
