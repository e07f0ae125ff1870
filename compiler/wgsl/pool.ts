/**
 * Average pooling over the last two axes of `[N, C, H, W]`: square window, no padding, floor
 * output size (PyTorch `avg_pool2d` defaults). One invocation per output element.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, f32Literal } from './builder.js';
import { product, spreadWorkgroups, unravel } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface AvgPoolDesc {
  readonly label?: string;
  readonly x: TensorArg;
  readonly out: TensorArg;
  readonly kernel: number;
  readonly stride: number;
}

const THREADS = 256;

export function avgPoolKernel(desc: AvgPoolDesc): KernelSource {
  const label = desc.label ?? 'avg_pool2d';
  if (desc.x.shape.length !== 4) throw new WgslDescriptorError(label, 'x must be [N, C, H, W]');
  const [N, C, H, W] = desc.x.shape;
  const oh = Math.floor((H - desc.kernel) / desc.stride) + 1;
  const ow = Math.floor((W - desc.kernel) / desc.stride) + 1;
  const want = [N, C, oh, ow];
  if (!desc.out.shape.every((d, i) => d === want[i]) || desc.out.shape.length !== 4) throw new WgslDescriptorError(label, `out is [${desc.out.shape.join(', ')}], expected [${want.join(', ')}]`);
  const b = new ShaderBuilder(label);
  const x = b.operand(desc.x, false);
  const out = b.operand(desc.out, true);
  const n = product(want);
  const [ni, ci, yi, xi] = unravel('i', want);
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let y0 = ${yi} * ${desc.stride}u;
let x0 = ${xi} * ${desc.stride}u;
let kk = ${b.param(desc.kernel)};
var s = 0.0;
for (var dy = 0u; dy < kk; dy++) {
  for (var dx = 0u; dx < kk; dx++) { s += ${b.load(x, [ni, ci, 'y0 + dy', 'x0 + dx'])}; }
}
${b.store(out, [ni, ci, yi, xi], `s / ${f32Literal(desc.kernel * desc.kernel)}`)}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}
