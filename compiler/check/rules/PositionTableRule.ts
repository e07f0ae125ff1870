/**
 * Position table: a ViT's learned position embeddings cover the patch grid of the image size it
 * was trained at; mimo does not interpolate them, so the input image size equals `image_size`.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, type RuleContext } from '../context.js';
import { readNumber } from '../read.js';

export function PositionTableRule(context: RuleContext): void {
  for (const { sense, input, encoder } of context.parts.senses) {
    if (input === undefined || encoder === undefined || (input.kind.name !== 'image' && input.kind.name !== 'video')) continue;
    if (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit') continue;
    const size = readNumber(input, 'size');
    const imageSize = readNumber(encoder, 'image_size');
    if (size === undefined || imageSize === undefined || size.value === imageSize.value) continue;
    const primary = size.span ?? input.span;
    const preset = encoder.component.preset;
    context.report(
      createDiagnostic(checkDiagnostics.imageSizeMismatch, primary, { sense: sense.name, size: size.value, imageSize: imageSize.value }, {
        related: alsoAt(primary, {
          span: imageSize.span ?? encoder.span,
          message: preset !== undefined ? `preset "${preset.name}" was trained at ${imageSize.value} px` : `\`image_size\` is ${imageSize.value}`,
        }),
        help:
          `feed ${imageSize.value} px images (\`${sense.name}.input.size = ${imageSize.value}\`), or choose an encoder trained at ${size.value} px` +
          (size.value === 336 ? ' (e.g. clip_vit("ViT-L/14-336"))' : size.value === 384 ? ' (e.g. siglip_vit("so400m-14-384"))' : '') +
          '; position embeddings are not interpolated',
      }),
    );
  }
}
