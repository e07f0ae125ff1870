/** Plan `attention` → the flash attention generator (its key block is sized to workgroup memory; the result does not depend on it beyond rounding). */
import type { PlanKernelOf } from '../../plan/types.js';
import { attentionKernel } from '../attention.js';
import type { LowerContext, Lowered } from './context.js';

export function lowerAttention(k: PlanKernelOf<'attention'>, ctx: LowerContext): Lowered {
  const p = k.params;
  const { buffers } = ctx;
  return [
    attentionKernel({
      label: k.label,
      q: buffers.arg(k.inputs[0]),
      k: buffers.arg(k.inputs[1]),
      v: buffers.arg(k.inputs[2]),
      out: buffers.arg(k.outputs[0]),
      scale: p.scale,
      ...(p.bias === null ? {} : { bias: buffers.arg(k.inputs[p.bias]) }),
      ...(p.causal === null ? {} : { causal: { attentionMask: buffers.arg(k.inputs[p.causal.attentionMask]), negative: p.causal.negative, queryOffset: p.causal.queryOffset } }),
    }),
  ];
}
