/**
 * Rotary position embedding, Hugging Face rotate-half convention, on the first `rotaryDim`
 * features of each head: out = x·cos + rotate_half(x)·sin with angle position · invFreq[d mod
 * rotaryDim/2]. One invocation per output element (it reads its rotation partner).
 */
import { LINEAR_WORKGROUP, ShaderBuilder } from './builder.js';
import { product, spreadWorkgroups, unravel } from './layout.js';
import { inverseFrequencyTable } from './rotary.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface RopeDesc {
  readonly label?: string;
  /** `[batch, heads, seq, headDim]`. */
  readonly x: TensorArg;
  /** int32 `[batch, seq]`. */
  readonly positions: TensorArg;
  /** Same shape as `x`. */
  readonly out: TensorArg;
  readonly theta: number;
  readonly rotaryDim: number;
}

const THREADS = 256;

export function ropeKernel(desc: RopeDesc): KernelSource {
  const label = desc.label ?? 'rope';
  if (desc.x.shape.length !== 4) throw new WgslDescriptorError(label, 'x must be [batch, heads, seq, headDim]');
  const [B, , S, hd] = desc.x.shape;
  const rot = desc.rotaryDim;
  if (rot % 2 !== 0 || rot <= 0 || rot > hd) throw new WgslDescriptorError(label, `rotaryDim ${rot} must be even and within headDim ${hd}`);
  if (desc.positions.shape.length !== 2 || desc.positions.shape[0] !== B || desc.positions.shape[1] !== S) {
    throw new WgslDescriptorError(label, `positions are [${desc.positions.shape.join(', ')}], expected [${B}, ${S}]`);
  }
  const b = new ShaderBuilder(label);
  const x = b.operand(desc.x, false);
  const pos = b.operand(desc.positions, false);
  const out = b.operand(desc.out, true);
  const n = product(desc.x.shape);
  const [bi, hi, si, di] = unravel('i', desc.x.shape);
  const half = rot / 2;
  const at = (d: string): string[] => [bi, hi, si, d];
  const outIdx = desc.out.shape.length === 4 ? [bi, hi, si, di] : unravel('i', desc.out.shape);
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let d = ${di};
var y = ${b.load(x, at('d'))};
if (d < ${rot}u) {
  let p = ${b.load(pos, [bi, si])};
  let f = select(d, d - ${half}u, d >= ${half}u);
  let cs = mimo_cos_sin(p * INV_FREQ[f]);
  if (d < ${half}u) {
    y = y * cs.x - ${b.load(x, at(`d + ${half}u`))} * cs.y;
  } else {
    y = y * cs.x + ${b.load(x, at(`d - ${half}u`))} * cs.y;
  }
}
${b.store(out, outIdx, 'y')}`;
  return b.finish({ declarations: inverseFrequencyTable('INV_FREQ', desc.theta, rot), workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}
