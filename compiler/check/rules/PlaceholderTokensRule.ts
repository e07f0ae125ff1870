/**
 * Placeholder tokens: each sense has its own placeholder text and id. Ids inside the base
 * vocabulary name existing tokens; others are added (see `placeholders.ts`); no two senses may
 * share a text or an id. Both places are shown.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { assignPlaceholders } from '../placeholders.js';
import { readNumber } from '../read.js';

export function PlaceholderTokensRule(context: RuleContext): void {
  const { decoder, senses } = context.parts;
  const vocab = decoder === undefined ? undefined : readNumber(decoder, 'vocab');
  const { placeholders } = assignPlaceholders(senses, vocab?.value ?? Number.MAX_SAFE_INTEGER);
  for (const [i, current] of placeholders.entries()) {
    for (const earlier of placeholders.slice(0, i)) {
      if (current.text !== undefined && current.text === earlier.text && current.textSpan !== undefined) {
        context.report(
          createDiagnostic(checkDiagnostics.duplicatePlaceholder, current.textSpan, { first: earlier.sense, second: current.sense, token: JSON.stringify(current.text) }, {
            related: earlier.textSpan === undefined ? [] : [{ span: earlier.textSpan, message: `sense \`${earlier.sense}\` uses it here` }],
            help: `give sense \`${current.sense}\` its own placeholder, e.g. "<${current.sense}>"`,
          }),
        );
      }
      // Ids added automatically skip every explicit id, so only two explicit ids can collide.
      if (vocab !== undefined && current.idSpan !== undefined && earlier.idSpan !== undefined && current.id === earlier.id) {
        context.report(
          createDiagnostic(checkDiagnostics.duplicateTokenId, current.idSpan, { first: earlier.sense, second: current.sense, id: current.id }, {
            related: [{ span: earlier.idSpan, message: `sense \`${earlier.sense}\` uses id ${earlier.id} here` }],
            help: 'give each placeholder its own id, or remove `token_id` to have one added after the vocabulary',
          }),
        );
      }
    }
  }
}
