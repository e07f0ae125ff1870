/**
 * Sequence budget: the prompt's text tokens plus every sense's tokens must fit the decoder's
 * context. The message shows the sum term by term.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, type RuleContext } from '../context.js';
import { senseTokens } from '../derive.js';
import { readField, readNumber } from '../read.js';
import { modelBlock } from '../schema.js';

export function SequenceBudgetRule(context: RuleContext): void {
  const { decoder, senses, model } = context.parts;
  if (decoder === undefined) return;
  const contextLength = readNumber(decoder, 'context');
  const text = readField(model.fields, modelBlock.fields, 'text_tokens');
  if (contextLength === undefined || text === undefined || typeof text.value !== 'number') return;
  const terms: { label: string; tokens: number }[] = [{ label: 'text', tokens: text.value }];
  for (const parts of senses) {
    const { tokens } = senseTokens(parts);
    if (tokens === undefined) return; // reported by SenseTokensRule or an earlier rule
    terms.push({ label: parts.sense.name, tokens });
  }
  const total = terms.reduce((sum, t) => sum + t.tokens, 0);
  if (total <= contextLength.value) return;
  const sum = terms.map((t) => `${t.tokens} (${t.label})`).join(' + ');
  const primary = text.span ?? model.origin.span;
  const over = total - contextLength.value;
  context.report(
    createDiagnostic(checkDiagnostics.sequenceOverContext, primary, { sum, total, context: contextLength.value }, {
      related: alsoAt(
        primary,
        { span: contextLength.span ?? decoder.span, message: `the decoder's context is ${contextLength.value}` },
        ...senses.map((s) => ({ span: s.sense.nameSpan, message: `sense \`${s.sense.name}\` writes ${terms.find((t) => t.label === s.sense.name)?.tokens ?? 0} tokens` })),
      ),
      help: `${over} tokens over: ${text.value > over ? `lower \`text_tokens\` to ${text.value - over}, or ` : ''}use fewer frames or a shorter clip, pool the patch grid, or a decoder with a longer context`,
    }),
  );
}
