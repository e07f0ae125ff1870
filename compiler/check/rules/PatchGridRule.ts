/**
 * Patch grid: a vision encoder cuts each image into whole square patches, so the patch size
 * divides the input image size. The one exception is a published preset at its own trained size
 * whose geometry leaves a remainder (SigLIP so400m/14 at 384 px), see `patchGrid`.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, blame, type RuleContext } from '../context.js';
import { nearbyDivisors } from './AttentionHeadsRule.js';
import { patchGrid } from '../derive.js';
import { readNumber } from '../read.js';

export function PatchGridRule(context: RuleContext): void {
  for (const { sense, input, encoder } of context.parts.senses) {
    if (input === undefined || encoder === undefined || (input.kind.name !== 'image' && input.kind.name !== 'video')) continue;
    if (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit') continue;
    const size = readNumber(input, 'size');
    const patch = readNumber(encoder, 'patch');
    const geometry = patchGrid(input, encoder);
    if (size === undefined || patch === undefined || geometry === undefined || geometry.divides) continue;
    const primary = blame(size.span, patch.span) ?? input.span;
    const below = size.value - (size.value % patch.value);
    context.report(
      createDiagnostic(checkDiagnostics.patchDoesNotDivide, primary, { sense: sense.name, patch: patch.value, size: size.value }, {
        related: alsoAt(primary, { span: size.span, message: `images are ${size.value} px` }, { span: patch.span, message: `patches are ${patch.value} px` }),
        help: `use an image size that is a multiple of ${patch.value} (e.g. ${below > 0 ? `${below} or ` : ''}${below + patch.value}), or a patch size dividing ${size.value} (${nearbyDivisors(size.value, patch.value)})`,
      }),
    );
  }
}
