/** "Did you mean" help and a machine-applicable fix for a misspelled name. */
import type { Fix, Span } from '../diagnostics/types.js';
import { suggest } from '../diagnostics/suggest.js';

export interface Suggestion {
  /** `did you mean \`gelu\`? ` or an empty string. */
  readonly prefix: string;
  readonly fix: Fix | undefined;
  readonly guess: string | undefined;
}

export function didYouMean(word: string, candidates: readonly string[], span: Span): Suggestion {
  const guess = suggest(word, candidates);
  if (guess === undefined) return { prefix: '', fix: undefined, guess };
  return { prefix: `did you mean \`${guess}\`? `, fix: { description: `replace with \`${guess}\``, span, replacement: guess }, guess };
}

export function listNames(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
