/**
 * PyTorch weight normalisation, w = g · v / ‖v‖ with the norm over every axis except `dim`: one
 * workgroup per index along `dim` (a load-time `prepare` kernel, e.g. BEATs' positional conv).
 */
import { LINEAR_WORKGROUP, ShaderBuilder } from './builder.js';
import { broadcastIndex, broadcastsTo, product, spreadWorkgroups, unravel } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';
import { pow2Threads, workgroupReduceDecls } from './workgroupReduce.js';

export interface WeightNormDesc {
  readonly label?: string;
  /** Broadcasts to `v` (size 1 on every axis but `dim`). */
  readonly g: TensorArg;
  readonly v: TensorArg;
  readonly out: TensorArg;
  readonly dim: number;
}

export function weightNormKernel(desc: WeightNormDesc): KernelSource {
  const label = desc.label ?? 'weight_norm';
  const shape = desc.v.shape;
  const dim = desc.dim < 0 ? desc.dim + shape.length : desc.dim;
  if (dim < 0 || dim >= shape.length) throw new WgslDescriptorError(label, `dim ${desc.dim} out of range`);
  if (!broadcastsTo(desc.g.shape, shape)) throw new WgslDescriptorError(label, `g [${desc.g.shape.join(', ')}] does not broadcast to v [${shape.join(', ')}]`);
  if (desc.out.shape.length !== shape.length || desc.out.shape.some((d, a) => d !== shape[a])) throw new WgslDescriptorError(label, 'out must have the shape of v');
  const rest = shape.filter((_, a) => a !== dim);
  const r = product(rest);
  const threads = pow2Threads(r / 2, 32, 256);
  const b = new ShaderBuilder(label);
  const g = b.operand(desc.g, false);
  const v = b.operand(desc.v, false);
  const out = b.operand(desc.out, true);
  const restIdx = unravel('j', rest);
  const full = [...restIdx.slice(0, dim), 'row', ...restIdx.slice(dim)];
  const body = `
let row = ${LINEAR_WORKGROUP};
if (row >= ${shape[dim]}u) { return; }
let n = ${b.param(r)};
var s = 0.0;
for (var j = lid; j < n; j += ${threads}u) { let x = ${b.load(v, full)}; s += x * x; }
let scale = ${b.load(g, broadcastIndex(desc.g.shape, full.map((_, a) => (a === dim ? 'row' : '0u')), shape))} / sqrt(wg_sum(lid, s));
for (var j = lid; j < n; j += ${threads}u) {
  ${b.store(out, full, `${b.load(v, full)} * scale`)}
}`;
  return b.finish({ declarations: workgroupReduceDecls(b, threads), workgroupSize: [threads], body, workgroups: spreadWorkgroups(shape[dim]) });
}
