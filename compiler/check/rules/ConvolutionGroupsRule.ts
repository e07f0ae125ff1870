/**
 * Convolution groups: a BEATs-style encoder's convolutional position embedding is a grouped
 * convolution over the encoder width, so `conv_pos_groups` divides `hidden`.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, blame, type RuleContext } from '../context.js';
import { nearbyDivisors } from './AttentionHeadsRule.js';
import { readNumber } from '../read.js';

export function ConvolutionGroupsRule(context: RuleContext): void {
  for (const { sense, encoder } of context.parts.senses) {
    if (encoder?.kind.name !== 'beats') continue;
    const hidden = readNumber(encoder, 'hidden');
    const groups = readNumber(encoder, 'conv_pos_groups');
    if (hidden === undefined || groups === undefined || hidden.value % groups.value === 0) continue;
    const primary = blame(groups.span, hidden.span) ?? encoder.span;
    context.report(
      createDiagnostic(checkDiagnostics.groupsDoNotDivide, primary, { sense: sense.name, groups: groups.value, hidden: hidden.value }, {
        related: alsoAt(primary, { span: groups.span, message: `\`conv_pos_groups\` is ${groups.value}` }, { span: hidden.span, message: `\`hidden\` is ${hidden.value}` }),
        help: `group counts that divide ${hidden.value} near ${groups.value}: ${nearbyDivisors(hidden.value, groups.value)}`,
      }),
    );
  }
}
