/**
 * Tokens per sense (as the checker computed them, with its derivation), the text budget and the
 * decoder sequence length they add up to.
 */
import type { CheckedModel } from '../model/types.js';
import type { TokenReport } from './types.js';

export function reportTokens(model: CheckedModel): TokenReport {
  const bySense = model.senses.map((s) => ({
    sense: s.name,
    placeholder: s.token.text,
    placeholderId: s.token.id,
    tokens: s.tokens,
    derivation: s.derivation.steps.map((step) => ({ label: step.label, value: step.value })),
  }));
  const total = model.textTokens + bySense.reduce((acc, s) => acc + s.tokens, 0);
  return { bySense, text: model.textTokens, total };
}
