/**
 * Sum over some axes, one workgroup per result element, then an elementwise epilogue (`acc(0)`
 * = the sum; loads broadcast to the result). The reduced elements are visited in a fixed order.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, type OperandRef } from './builder.js';
import { loadRefs } from './elementwise.js';
import { broadcastIndex, product, spreadWorkgroups, unravel } from './layout.js';
import { ACC_ONLY, compileProgram, programUses } from './program.js';
import type { KernelSource, Program, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';
import { pow2Threads, workgroupReduceDecls } from './workgroupReduce.js';

export interface ReduceDesc {
  readonly label?: string;
  readonly input: TensorArg;
  /** Ascending, non-negative. */
  readonly axes: readonly number[];
  readonly keepDims: boolean;
  /** The input's shape without `axes` (or with them as 1 when `keepDims`). */
  readonly out: TensorArg;
  readonly program?: Program;
  readonly loads?: readonly TensorArg[];
}

export function reduceKernel(desc: ReduceDesc): KernelSource {
  const label = desc.label ?? 'reduce_sum';
  const shape = desc.input.shape;
  const axes = desc.axes;
  if (axes.some((a, i) => a < 0 || a >= shape.length || (i > 0 && a <= axes[i - 1]))) throw new WgslDescriptorError(label, `axes (${axes.join(', ')}) must be ascending and within rank ${shape.length}`);
  const kept = shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const outShape = desc.keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : kept.map((a) => shape[a]);
  if (!desc.out.shape.every((d, i) => d === outShape[i]) || desc.out.shape.length !== outShape.length) {
    throw new WgslDescriptorError(label, `out is [${desc.out.shape.join(', ')}], expected [${outShape.join(', ')}]`);
  }
  const reducedShape = axes.map((a) => shape[a]);
  const r = product(reducedShape);
  const results = product(outShape);
  const threads = pow2Threads(r / 2, 32, 256);
  const program = desc.program ?? ACC_ONLY;
  const loads = desc.loads ?? [];
  const b = new ShaderBuilder(label);
  const x = b.operand(desc.input, false);
  const refs = loadRefs(b, label, loads, programUses(program).loads, outShape);
  const out = b.operand(desc.out, true);
  const keptIdx = unravel('row', kept.map((a) => shape[a]));
  const redIdx = unravel('j', reducedShape);
  const full = shape.map((_, a) => (axes.includes(a) ? redIdx[axes.indexOf(a)] : keptIdx[kept.indexOf(a)]));
  const outIdx = unravel('row', outShape);
  const prog = compileProgram(label, program, { load: (k) => b.load(refs.get(k) as OperandRef, broadcastIndex(loads[k].shape, outIdx, outShape)), acc: () => 'total' }, 'r');
  const body = `
let row = ${LINEAR_WORKGROUP};
if (row >= ${results}u) { return; }
let n = ${b.param(r)};
var s = 0.0;
for (var j = lid; j < n; j += ${threads}u) { s += ${b.load(x, full)}; }
let total = wg_sum(lid, s);
if (lid == 0u) {
${prog.code}
  ${b.store(out, outIdx, prog.value)}
}`;
  return b.finish({ declarations: workgroupReduceDecls(b, threads), workgroupSize: [threads], body, workgroups: spreadWorkgroups(results) });
}
