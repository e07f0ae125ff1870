/**
 * The additive causal + padding mask as a tensor (the unfused `causal_mask` op): out[b, 0, i, j]
 * = 0 when key j ≤ i + queryOffset and attention_mask[b, j] ≠ 0, else `negative`.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, f32Literal } from './builder.js';
import { product, spreadWorkgroups, unravel } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface CausalMaskDesc {
  readonly label?: string;
  /** `[batch, keys]`, int32 or float32; 0 marks padding. */
  readonly attentionMask: TensorArg;
  /** `[batch, 1, queries, keys]`. */
  readonly out: TensorArg;
  readonly negative: number;
  readonly queryOffset: number;
}

const THREADS = 256;

export function causalMaskKernel(desc: CausalMaskDesc): KernelSource {
  const label = desc.label ?? 'causal_mask';
  const [B, K] = desc.attentionMask.shape;
  if (desc.attentionMask.shape.length !== 2 || desc.out.shape.length !== 4 || desc.out.shape[0] !== B || desc.out.shape[1] !== 1 || desc.out.shape[3] !== K) {
    throw new WgslDescriptorError(label, `mask [${desc.attentionMask.shape.join(', ')}] and out [${desc.out.shape.join(', ')}] disagree`);
  }
  const b = new ShaderBuilder(label);
  const mask = b.operand(desc.attentionMask, false);
  const out = b.operand(desc.out, true);
  const n = product(desc.out.shape);
  const idx = unravel('i', desc.out.shape);
  const [bi, , qi, ki] = idx;
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let key = ${ki};
let keep = key <= ${qi} + ${b.param(desc.queryOffset)} && ${b.load(mask, [bi, 'key'])} != 0.0;
${b.store(out, idx, `select(${f32Literal(desc.negative)}, 0.0, keep)`)}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}
