/**
 * Which parser errors to show. Error recovery lets the parser go on after a mistake, but the
 * tokens right after it often fail too; those follow-on errors say nothing new. A parser error is
 * dropped when:
 *   - an earlier pass already reported the same place (bracket check, keyword repair);
 *   - the parser ran out of input inside a bracket the bracket check reported as never closed;
 *   - a character the lexer rejected stands just before it (`hidden 4096 @ 2`: the `@` is the error);
 *   - it is on the token right after the previous parser error (a chain keeps its first link);
 *   - it is inside the same `( )` or `[ ]` as the last error shown (`f(a: 1 b: 2)` is one mistake).
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import type { BracketGroup } from './delimiters.js';
import type { LocatedParseError } from './parse-errors.js';

export interface CascadeContext {
  /** The tokens the parser read, in text order. */
  readonly tokens: readonly IToken[];
  /** Start offsets of the lexer's unexpected characters, ascending. */
  readonly lexerErrorOffsets: readonly number[];
  /** Matched `( )` and `[ ]` pairs, by opening offset. */
  readonly groups: readonly BracketGroup[];
  /** Offsets already reported by earlier passes. */
  readonly reportedOffsets: ReadonlySet<number>;
  /** Some bracket is never closed (the bracket check said so). */
  readonly unclosedAtEnd: boolean;
}

export function keepParseErrors(errors: readonly LocatedParseError[], context: CascadeContext): Diagnostic[] {
  const kept: Diagnostic[] = [];
  const ordered = [...errors].sort((a, b) => a.tokenOffset - b.tokenOffset);
  let lastIndex = -2;
  let lastGroupEnd = -1;
  const seen = new Set<number>();
  for (const error of ordered) {
    const index = firstTokenAtOrAfter(context.tokens, error.tokenOffset);
    const follows = index === lastIndex + 1 || index === lastIndex;
    lastIndex = index;
    if (context.reportedOffsets.has(error.offset) || context.reportedOffsets.has(error.tokenOffset)) continue;
    if (error.atEndOfInput && context.unclosedAtEnd) continue;
    if (seen.has(error.offset) || follows || error.tokenOffset <= lastGroupEnd) continue;
    const previousEnd = index > 0 ? context.tokens[index - 1].startOffset + context.tokens[index - 1].image.length : 0;
    if (hasOffsetIn(context.lexerErrorOffsets, previousEnd, error.tokenOffset)) continue;
    seen.add(error.offset);
    kept.push(error.diagnostic);
    lastGroupEnd = innermostGroupEnd(context.groups, error.tokenOffset);
  }
  return kept;
}

/** Index of the first token starting at or after `offset` (tokens.length if none). */
function firstTokenAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle].startOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function hasOffsetIn(sorted: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < start) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low] < end;
}

/** Closing offset of the innermost bracket group strictly containing `offset`, or -1. */
function innermostGroupEnd(groups: readonly BracketGroup[], offset: number): number {
  let low = 0;
  let high = groups.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (groups[middle].open < offset) low = middle + 1;
    else high = middle;
  }
  // Groups nest: walking back from the last one opened before `offset`, the first that is still open at `offset` is the innermost.
  for (let i = low - 1; i >= 0; i--) if (groups[i].close >= offset) return groups[i].close;
  return -1;
}
