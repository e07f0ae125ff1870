/**
 * Class token: `drop_cls: true` on an encoder without a class token (SigLIP) does nothing, which
 * usually means the token count the user expects is off by one per frame.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { readBoolean } from '../read.js';

export function ClassTokenRule(context: RuleContext): void {
  for (const { sense, encoder } of context.parts.senses) {
    if (encoder === undefined || (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit')) continue;
    const classToken = readBoolean(encoder, 'class_token');
    const drop = readBoolean(encoder, 'drop_cls');
    if (classToken === undefined || drop === undefined || classToken.value || !drop.value) continue;
    context.report(
      createDiagnostic(checkDiagnostics.noClassToken, drop.span ?? encoder.span, { sense: sense.name, family: encoder.kind.name }, {
        help: 'remove `drop_cls`; every output position of this encoder is a patch',
        fix: undefined,
      }),
    );
  }
}
