/**
 * The token layout of a prompt: which decoder positions each sense fills, in the order its
 * placeholder appears (`<video> <audio> What instrument is playing?` puts the video's tokens
 * first, then the audio's, then the text), with each placeholder expanded to its sense's tokens.
 *
 * Text has no tokenizer here, so text runs are sized by `countText` when the caller has one, and
 * otherwise share the model's text budget (`text_tokens`) in order: each non-blank run gets an
 * equal part, the last run the remainder. Whitespace between placeholders takes no positions.
 * Without a prompt the layout is every placeholder in sense order, then the text budget.
 */
import type { CheckedModel, Sense } from '../model/types.js';
import type { LayoutSpan, TokenLayout } from './types.js';

type Piece = { readonly kind: 'sense'; readonly sense: Sense } | { readonly kind: 'text'; readonly text: string };

/** Splits a prompt at the senses' placeholders (longest placeholder first where two overlap). */
function splitPrompt(prompt: string, senses: readonly Sense[]): Piece[] {
  const byLength = [...senses].sort((a, b) => b.token.text.length - a.token.text.length);
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < prompt.length) {
    const sense = byLength.find((s) => s.token.text.length > 0 && prompt.startsWith(s.token.text, i));
    if (sense === undefined) {
      text += prompt[i];
      i += 1;
      continue;
    }
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
    pieces.push({ kind: 'sense', sense });
    i += sense.token.text.length;
  }
  if (text !== '') pieces.push({ kind: 'text', text });
  return pieces;
}

export function layoutPrompt(
  model: CheckedModel,
  prompt?: string,
  countText?: (text: string) => number,
): TokenLayout {
  const problems: string[] = [];
  const budgetNote = `[${model.textTokens} text tokens]`;
  const pieces: Piece[] =
    prompt === undefined
      ? [...model.senses.map((sense): Piece => ({ kind: 'sense', sense })), { kind: 'text', text: budgetNote }]
      : splitPrompt(prompt, model.senses);
  const shown = prompt ?? [...model.senses.map((s) => s.token.text), budgetNote].join(' ');

  // Blank runs take no positions; the rest share the budget unless a counter sizes them.
  const textRuns = pieces.filter((p): p is Extract<Piece, { kind: 'text' }> => p.kind === 'text' && p.text.trim() !== '');
  const sizes = new Map<Piece, number>();
  if (countText !== undefined && prompt !== undefined) {
    for (const run of textRuns) sizes.set(run, countText(run.text));
  } else if (textRuns.length > 0) {
    const share = Math.floor(model.textTokens / textRuns.length);
    textRuns.forEach((run, k) => sizes.set(run, k === textRuns.length - 1 ? model.textTokens - share * (textRuns.length - 1) : share));
  }
  if (prompt !== undefined && textRuns.length === 0 && model.textTokens > 0 && countText === undefined) {
    // A prompt of placeholders only: the text budget follows them.
    const budget: Piece = { kind: 'text', text: budgetNote };
    pieces.push(budget);
    sizes.set(budget, model.textTokens);
  }

  const spans: LayoutSpan[] = [];
  const placed = new Set<string>();
  let position = 0;
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      const size = sizes.get(piece) ?? 0;
      if (size > 0) spans.push({ kind: 'text', text: piece.text.trim(), start: position, end: position + size });
      position += size;
      continue;
    }
    const sense = piece.sense;
    if (placed.has(sense.name)) {
      problems.push(`\`${sense.token.text}\` appears more than once; sense \`${sense.name}\` supplies embeddings for one occurrence, so the others are not expanded`);
      continue;
    }
    placed.add(sense.name);
    spans.push({ kind: 'sense', sense: sense.name, placeholder: sense.token.text, start: position, end: position + sense.tokens });
    position += sense.tokens;
  }
  for (const sense of model.senses) {
    if (!placed.has(sense.name)) {
      problems.push(`\`${sense.token.text}\` does not appear in the prompt, so the ${sense.tokens} tokens of sense \`${sense.name}\` have no place`);
    }
  }
  if (position > model.decoder.context) {
    problems.push(`the prompt takes ${position} positions, more than the decoder's context of ${model.decoder.context}`);
  }
  return { prompt: shown, spans, length: position, problems };
}
