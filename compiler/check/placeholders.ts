/**
 * Placeholder token ids. A sense's `token_id` below the base vocabulary names an existing token;
 * one at or above it, or no `token_id` at all, adds a token. Added tokens without an explicit id
 * get vocab, vocab + 1, ... in sense order, skipping ids claimed explicitly; the extended
 * vocabulary ends after the largest id.
 */
import type { Span } from '../diagnostics/types.js';
import { readField, type SenseParts } from './read.js';
import { senseBlock } from './schema.js';

export interface PlaceholderAssignment {
  readonly sense: string;
  readonly text: string | undefined;
  readonly textSpan: Span | undefined;
  readonly id: number;
  /** Explicit `token_id` span, if any. */
  readonly idSpan: Span | undefined;
  readonly added: boolean;
}

export function assignPlaceholders(senses: readonly SenseParts[], vocab: number): { placeholders: PlaceholderAssignment[]; vocabTotal: number } {
  const explicit = senses.map(({ sense }) => readField(sense.fields, senseBlock.fields, 'token_id'));
  const claimed = new Set(explicit.filter((e) => e !== undefined).map((e) => e.value as number));
  let next = vocab;
  const placeholders = senses.map(({ sense }, i): PlaceholderAssignment => {
    const token = readField(sense.fields, senseBlock.fields, 'token');
    const text = typeof token?.value === 'string' ? token.value : undefined;
    const stated = explicit[i];
    if (stated !== undefined) {
      const id = stated.value as number;
      return { sense: sense.name, text, textSpan: token?.span, id, idSpan: stated.span, added: id >= vocab };
    }
    while (claimed.has(next)) next++;
    const id = next++;
    return { sense: sense.name, text, textSpan: token?.span, id, idSpan: undefined, added: true };
  });
  const vocabTotal = placeholders.reduce((max, p) => Math.max(max, p.id + 1), vocab);
  return { placeholders, vocabTotal };
}
