/**
 * Rotary positions: RoPE rotates channel pairs, so a decoder with `position rope(...)` needs an
 * even head width (hidden / heads).
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, blame, type RuleContext } from '../context.js';
import { decoderFamilyDefaults, readNumber, subPart } from '../read.js';

export function RotaryHeadDimRule(context: RuleContext): void {
  const { decoder } = context.parts;
  if (decoder === undefined) return;
  const defaults = decoderFamilyDefaults[decoder.kind.name];
  const position = subPart(decoder, 'position', defaults.position);
  if (position?.kind.name !== 'rope') return;
  const hidden = readNumber(decoder, 'hidden');
  const heads = readNumber(decoder, 'heads');
  if (hidden === undefined || heads === undefined || hidden.value % heads.value !== 0) return;
  const headDim = hidden.value / heads.value;
  if (headDim % 2 === 0) return;
  const primary = blame(heads.span, hidden.span) ?? decoder.span;
  context.report(
    createDiagnostic(checkDiagnostics.rotaryOddHeadDim, primary, { hidden: hidden.value, heads: heads.value, headDim }, {
      related: alsoAt(primary, { span: hidden.span, message: `\`decoder.hidden\` is ${hidden.value}` }, { span: heads.span, message: `\`decoder.heads\` is ${heads.value}` }, { span: position.component.typeSpan, message: 'rotary positions are chosen here' }),
      help: 'choose a width and head count whose quotient is even (e.g. 64 or 128 per head), or `position learned`',
    }),
  );
}
