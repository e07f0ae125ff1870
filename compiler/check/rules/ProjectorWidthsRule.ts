/**
 * Projector widths: a projector maps its encoder's output width to the decoder's width. Both are
 * derived, so a projector normally states neither; when it states `input` or `output`, the
 * stated width must agree with the encoder's `hidden` and the decoder's `hidden`.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, type RuleContext } from '../context.js';
import { encoderWidth } from '../derive.js';
import { readNumber } from '../read.js';

export function ProjectorWidthsRule(context: RuleContext): void {
  const decoderHidden = context.parts.decoder === undefined ? undefined : readNumber(context.parts.decoder, 'hidden');
  for (const { sense, encoder, projector } of context.parts.senses) {
    if (projector === undefined) continue;
    const statedIn = projector.component.fields.has('input') ? readNumber(projector, 'input') : undefined;
    const width = encoder === undefined ? undefined : encoderWidth(encoder);
    if (statedIn?.span !== undefined && width !== undefined && statedIn.value !== width.value) {
      context.report(
        createDiagnostic(checkDiagnostics.projectorInputMismatch, statedIn.span, { sense: sense.name, stated: statedIn.value, actual: width.value }, {
          related: alsoAt(statedIn.span, { span: width.span ?? encoder?.span, message: `the encoder's width is ${width.value}` }),
          help: `remove \`input\` (it is derived from the encoder) or set it to ${width.value}`,
          fix: { description: `use ${width.value}`, span: statedIn.span, replacement: String(width.value) },
        }),
      );
    }
    const statedOut = projector.component.fields.has('output') ? readNumber(projector, 'output') : undefined;
    if (statedOut?.span !== undefined && decoderHidden !== undefined && statedOut.value !== decoderHidden.value) {
      context.report(
        createDiagnostic(checkDiagnostics.projectorOutputMismatch, statedOut.span, { sense: sense.name, stated: statedOut.value, actual: decoderHidden.value }, {
          related: alsoAt(statedOut.span, { span: decoderHidden.span ?? context.parts.decoder?.span, message: `\`decoder.hidden\` is ${decoderHidden.value}` }),
          help: `remove \`output\` (it is derived from the decoder) or set it to ${decoderHidden.value}`,
          fix: { description: `use ${decoderHidden.value}`, span: statedOut.span, replacement: String(decoderHidden.value) },
        }),
      );
    }
  }
}
