/**
 * Projectors from an encoder's width to the decoder's: `affine` is one linear layer (`linear_1`),
 * `mlp` of depth N is `linear_1 → act → … → linear_N` with widths `[in, hidden × (N−1), out]`
 * (LLaVA's `multi_modal_projector.linear_1/2`; Megatron's fc1/fc2).
 */
import type { Projector } from '../../model/types.js';
import type { GraphBuilder, ValueId } from '../builder.js';
import { projectorLinearNames } from '../names.js';
import { act, linear } from './layers.js';

export function projectorWidths(p: Projector): readonly number[] {
  if (p.kind === 'affine') return [p.inputWidth, p.outputWidth];
  return [p.inputWidth, ...Array.from({ length: p.depth - 1 }, () => p.hiddenWidth), p.outputWidth];
}

export function lowerProjector(b: GraphBuilder, p: Projector, x: ValueId): ValueId {
  const widths = projectorWidths(p);
  const names = projectorLinearNames(widths.length - 1);
  let h = x;
  for (let i = 0; i + 1 < widths.length; i++) {
    if (i > 0 && p.kind === 'mlp') h = act(b, h, p.activation);
    h = linear(b, h, names[i], widths[i], widths[i + 1], p.bias);
  }
  return h;
}
