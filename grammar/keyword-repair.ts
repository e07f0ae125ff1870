/**
 * Misspelled keywords where the shape of the code says which keyword was meant: `modle a {`,
 * `variant small off base {`, `model b extend a {`, `frames inn [1, 2]`, `exlude { ... }` in a
 * sweep. Each is reported once ("did you mean `model`?", with a fix) and the token is read as the
 * keyword, so the parser checks the rest of the declaration instead of tripping over the typo.
 * Words that do not fit a keyword's slot are left alone for the parser to report.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createTokenInstance } from './chevrotain.js';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { suggest } from '../compiler/diagnostics/suggest.js';
import type { LineIndex } from './line-index.js';
import * as t from './tokens.js';

export interface RepairResult {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

const declarationStarts: ReadonlyMap<string, TokenType> = new Map([
  ['model', t.Model],
  ['variant', t.Variant],
  ['grid', t.Grid],
  ['zip', t.Zip],
  ['import', t.Import],
  ['assert', t.Assert],
]);

/** Tokens after which a top-level word cannot be the start of a declaration. */
const continuesExpression: ReadonlySet<TokenType> = new Set([t.Dot, t.Assert, t.Import, t.Model, t.Variant, t.Grid, t.Zip, t.Extends, t.Of, t.Colon, t.Comma, t.Equals]);

function is(token: IToken | undefined, type: TokenType): boolean {
  return token !== undefined && token.tokenType === type;
}

function startsExpression(token: IToken | undefined): boolean {
  if (token === undefined) return false;
  const type = token.tokenType;
  return type === t.Identifier || type === t.NumberLiteral || type === t.ClosedString || type === t.UnclosedString || type === t.Minus || type === t.LParen || type === t.LBracket || type === t.True || type === t.False;
}

function isString(token: IToken | undefined): boolean {
  return token !== undefined && (token.tokenType === t.ClosedString || token.tokenType === t.UnclosedString);
}

function resembles(token: IToken | undefined, keyword: string): boolean {
  return is(token, t.Identifier) && suggest((token as IToken).image, [keyword]) === keyword;
}

export function repairKeywords(tokens: IToken[], lines: LineIndex): RepairResult {
  const diagnostics: Diagnostic[] = [];
  let out: IToken[] | undefined;
  const replace = (index: number, type: TokenType, keyword: string): void => {
    const token = tokens[index];
    out ??= tokens.slice();
    out[index] = createTokenInstance(type, token.image, token.startOffset, token.startOffset + token.image.length - 1, NaN, NaN, NaN, NaN);
    const span = lines.span(token.startOffset, token.startOffset + token.image.length);
    diagnostics.push(
      createDiagnostic(syntaxDiagnostics.misspelledKeyword, span, { found: token.image, suggestion: keyword }, {
        help: `write \`${keyword}\`; \`${token.image}\` is not a keyword`,
        fix: { description: `replace \`${token.image}\` with \`${keyword}\``, span, replacement: keyword },
      }),
    );
  };

  let depth = 0;
  /** Brace depth inside the body of the sweep being read, or -1 outside sweeps. */
  let sweepDepth = -1;
  let sweepPending = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    if (type === t.LBrace) {
      depth++;
      if (sweepPending) {
        sweepDepth = depth;
        sweepPending = false;
      }
      continue;
    }
    if (type === t.RBrace) {
      if (depth === sweepDepth) sweepDepth = -1;
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 0 && (type === t.Grid || type === t.Zip)) sweepPending = true;
    if (type !== t.Identifier) continue;

    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    const afterNext = tokens[i + 2];
    if (depth === 0) {
      // `model NAME extend BASE`, `variant NAME off BASE`
      if (is(tokens[i - 2], t.Model) && is(previous, t.Identifier) && resembles(token, 'extends') && is(next, t.Identifier)) {
        replace(i, t.Extends, 'extends');
        continue;
      }
      const declarationWithBase = tokens[i - 2];
      if ((is(declarationWithBase, t.Variant) || is(declarationWithBase, t.Grid) || is(declarationWithBase, t.Zip)) && is(previous, t.Identifier) && resembles(token, 'of') && is(next, t.Identifier)) {
        replace(i, t.Of, 'of');
        continue;
      }
      if (previous !== undefined && (continuesExpression.has(previous.tokenType) || (previous.tokenType.CATEGORIES?.includes(t.BinaryOperator) ?? false))) continue;
      // Which declarations fit the tokens that follow; only those keywords are candidates.
      const candidates: string[] = [];
      if (isString(next)) candidates.push('import');
      if (is(next, t.Identifier) && (is(afterNext, t.LBrace) || is(afterNext, t.Extends) || resembles(afterNext, 'extends'))) candidates.push('model');
      if (is(next, t.Identifier) && (is(afterNext, t.Of) || resembles(afterNext, 'of'))) candidates.push('variant', 'grid', 'zip');
      if (startsExpression(next)) candidates.push('assert');
      const keyword = candidates.length === 0 ? undefined : suggest(token.image, candidates);
      const keywordType = keyword === undefined ? undefined : declarationStarts.get(keyword);
      if (keyword === undefined || keywordType === undefined) continue;
      replace(i, keywordType, keyword);
      if (keywordType === t.Grid || keywordType === t.Zip) sweepPending = true;
      continue;
    }
    if (depth === sweepDepth) {
      // `frames inn [1, 2]`: a path, then the misspelled `in`, then a list
      if (is(previous, t.Identifier) && is(next, t.LBracket) && resembles(token, 'in')) {
        replace(i, t.In, 'in');
        continue;
      }
      // `exlude { ... }` at the start of a sweep statement
      const atStatementStart = previous === undefined || is(previous, t.LBrace) || is(previous, t.RBracket) || is(previous, t.RBrace);
      if (atStatementStart && is(next, t.LBrace) && resembles(token, 'exclude')) replace(i, t.Exclude, 'exclude');
    }
  }
  return { tokens: out ?? tokens, diagnostics };
}
