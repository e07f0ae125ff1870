/**
 * Softmax along any axis, one workgroup per row: max, then Σ exp(x − max), then the quotient.
 */
import { LINEAR_WORKGROUP, ShaderBuilder } from './builder.js';
import { product, spreadWorkgroups, unravel } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';
import { pow2Threads, workgroupReduceDecls } from './workgroupReduce.js';

export interface SoftmaxDesc {
  readonly label?: string;
  readonly input: TensorArg;
  /** Same shape as the input. */
  readonly out: TensorArg;
  /** Negative counts from the end. */
  readonly axis: number;
}

export function softmaxKernel(desc: SoftmaxDesc): KernelSource {
  const label = desc.label ?? 'softmax';
  const shape = desc.input.shape;
  const axis = desc.axis < 0 ? desc.axis + shape.length : desc.axis;
  if (axis < 0 || axis >= shape.length) throw new WgslDescriptorError(label, `axis ${desc.axis} out of range for rank ${shape.length}`);
  if (product(desc.out.shape) !== product(shape)) throw new WgslDescriptorError(label, 'output and input element counts differ');
  const len = shape[axis];
  const others = shape.filter((_, a) => a !== axis);
  const rows = product(others);
  const threads = pow2Threads(len / 2, 32, 256);
  const b = new ShaderBuilder(label);
  const x = b.operand(desc.input, false);
  const out = b.operand(desc.out, true);
  const outer = unravel('row', others);
  const index = [...outer.slice(0, axis), 'j', ...outer.slice(axis)];
  const outIndex = desc.out.shape.length === shape.length ? index : unravel(`row * ${len}u + j`, desc.out.shape);
  const n = b.param(len);
  const body = `
let row = ${LINEAR_WORKGROUP};
if (row >= ${rows}u) { return; }
let n = ${n};
// Every invocation starts from the row's first element (it never raises the maximum).
var m = ${b.load(x, index.map((e) => (e === 'j' ? '0u' : e)))};
for (var j = lid; j < n; j += ${threads}u) { m = max(m, ${b.load(x, index)}); }
let mx = wg_max(lid, m);
var s = 0.0;
for (var j = lid; j < n; j += ${threads}u) { s += exp(${b.load(x, index)} - mx); }
let total = wg_sum(lid, s);
for (var j = lid; j < n; j += ${threads}u) {
  ${b.store(out, outIndex, `exp(${b.load(x, index)} - mx) / total`)}
}`;
  return b.finish({ declarations: workgroupReduceDecls(b, threads), workgroupSize: [threads], body, workgroups: spreadWorkgroups(rows) });
}
