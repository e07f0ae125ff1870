/**
 * Pooling: average pooling of each frame's patch grid (LLaVA-NeXT-Video's stride 2) needs a
 * stride that divides the grid side, so no patch row is silently dropped.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { nearbyDivisors } from './AttentionHeadsRule.js';
import { patchGrid } from '../derive.js';
import { readNumber } from '../read.js';

export function PoolingRule(context: RuleContext): void {
  for (const { sense, input, encoder } of context.parts.senses) {
    if (input === undefined || encoder === undefined || (input.kind.name !== 'image' && input.kind.name !== 'video')) continue;
    if (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit') continue;
    const geometry = patchGrid(input, encoder);
    const pool = readNumber(encoder, 'pool');
    if (geometry === undefined || pool === undefined || !geometry.divides) continue;
    const { grid } = geometry;
    if (grid % pool.value === 0) continue;
    context.report(
      createDiagnostic(checkDiagnostics.poolDoesNotDivide, pool.span ?? encoder.span, { sense: sense.name, pool: pool.value, grid }, {
        help: `strides that divide ${grid}: ${nearbyDivisors(grid, pool.value)}`,
      }),
    );
  }
}
