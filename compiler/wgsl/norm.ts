/**
 * LayerNorm / RMSNorm over the last axis, one workgroup per row, with a fused prologue: the row
 * is `prologue` evaluated over broadcast loads (e.g. residual + branch), optionally also written
 * out (`sum`: the residual stream the next block reads). Two-pass statistics (mean, then the
 * centred sum of squares) recomputing the prologue rather than holding the row in registers.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, f32Literal, type OperandRef } from './builder.js';
import { loadRefs } from './elementwise.js';
import { broadcastIndex, product, spreadWorkgroups, unravel } from './layout.js';
import { compileProgram, programUses } from './program.js';
import type { KernelSource, NormFn, Program, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';
import { pow2Threads, workgroupReduceDecls } from './workgroupReduce.js';

export interface NormDesc {
  readonly label?: string;
  readonly fn: NormFn;
  readonly eps: number;
  /** `[...rows, width]`: the normalised row. */
  readonly out: TensorArg;
  /** Also write the pre-norm row here (same shape as `out`). */
  readonly sum?: TensorArg;
  readonly loads: readonly TensorArg[];
  /** The row before normalisation, per element (no `acc`). */
  readonly prologue: Program;
  readonly gamma: TensorArg;
  /** LayerNorm only. */
  readonly beta?: TensorArg;
}

export function normKernel(desc: NormDesc): KernelSource {
  const label = desc.label ?? desc.fn;
  const shape = desc.out.shape;
  if (shape.length === 0) throw new WgslDescriptorError(label, 'a norm needs at least one axis');
  const width = shape[shape.length - 1];
  const rows = product(shape) / width;
  if (product(desc.gamma.shape) !== width) throw new WgslDescriptorError(label, `gamma has ${product(desc.gamma.shape)} elements, rows are ${width} wide`);
  if (desc.fn === 'layernorm' && desc.beta === undefined) throw new WgslDescriptorError(label, 'layernorm needs beta');
  if (desc.sum !== undefined && product(desc.sum.shape) !== product(shape)) throw new WgslDescriptorError(label, 'the sum output must have the shape of the output');
  const threads = pow2Threads(width / 4, 32, 256);
  const b = new ShaderBuilder(label);
  const { loads: used, parts } = programUses(desc.prologue);
  if (parts.length > 0) throw new WgslDescriptorError(label, 'a norm prologue has no accumulator');
  const refs = loadRefs(b, label, desc.loads, used, shape);
  const gamma = b.operand(desc.gamma, false);
  const beta = desc.beta === undefined ? undefined : b.operand(desc.beta, false);
  const out = b.operand(desc.out, true);
  const sum = desc.sum === undefined ? undefined : b.operand(desc.sum, true);
  const lead = unravel('row', shape.slice(0, -1));
  const index = [...lead, 'c'];
  const x = (prefix: string): { code: string; value: string } =>
    compileProgram(label, desc.prologue, { load: (k) => b.load(refs.get(k) as OperandRef, broadcastIndex(desc.loads[k].shape, index, shape)), acc: () => '' }, prefix);
  const wLoop = b.param(width);
  const ln = desc.fn === 'layernorm';
  const x1 = x('p');
  const x2 = x('q');
  const x3 = x('w');
  const g = b.load(gamma, unravel('c', desc.gamma.shape));
  const be = beta === undefined ? '' : ` + ${b.load(beta, unravel('c', (desc.beta as TensorArg).shape))}`;
  const body = `
let row = ${LINEAR_WORKGROUP};
if (row >= ${rows}u) { return; }
let width = ${wLoop};
${
  ln
    ? `var s = 0.0;
for (var c = lid; c < width; c += ${threads}u) {
${x1.code}
  s += ${x1.value};
}
let mean = wg_sum(lid, s) / ${f32Literal(width)};`
    : 'let mean = 0.0;'
}
var q = 0.0;
for (var c = lid; c < width; c += ${threads}u) {
${x2.code}
  let d = ${x2.value} - mean;
  q += d * d;
}
let rstd = 1.0 / sqrt(wg_sum(lid, q) / ${f32Literal(width)} + ${f32Literal(desc.eps)});
for (var c = lid; c < width; c += ${threads}u) {
${x3.code}
  ${b.store(out, index, `(${x3.value} - mean) * rstd * ${g}${be}`)}
  ${sum === undefined ? '' : b.store(sum, unravel('row * ' + width + 'u + c', desc.sum?.shape ?? []), x3.value)}
}`;
  return b.finish({ declarations: workgroupReduceDecls(b, threads), workgroupSize: [threads], body, workgroups: spreadWorkgroups(rows) });
}
