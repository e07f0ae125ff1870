/**
 * A pass over the tokens before parsing: brackets must balance and may nest only so deep. It
 * reports what a person needs ("`{` opened at 3:14 is never closed") rather than what the parser
 * would see later ("expected `}`, found the end of the file"), removes closing brackets that
 * close nothing (so the parser's recovery is not thrown off by them), and refuses input nested
 * deeper than MAX_NESTING, which would otherwise exhaust the parser's stack.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import type { LineIndex } from './line-index.js';
import { LBrace, LBracket, LParen, RBrace, RBracket, RParen } from './tokens.js';

/** Deepest nesting of `(`, `[` and `{` the parser accepts; far beyond any real spec. */
export const MAX_NESTING = 200;
const MAX_DELIMITER_DIAGNOSTICS = 200;

/** A `( )` or `[ ]` pair: offsets of the opening and closing characters. */
export interface BracketGroup {
  readonly open: number;
  readonly close: number;
}

export interface DelimiterResult {
  /** The tokens to parse: input tokens minus closing brackets that close nothing. */
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
  /** Offsets the diagnostics are about, so the parser's errors at the same places can be dropped. */
  readonly reportedOffsets: ReadonlySet<number>;
  /** Some bracket is still open at the end of the file. */
  readonly unclosedAtEnd: boolean;
  /** Nesting exceeded MAX_NESTING: the tokens must not be parsed. */
  readonly tooDeep: boolean;
  /** Every `( )` and `[ ]` that was closed (by its partner or, mistakenly, by another bracket), by opening offset. */
  readonly groups: BracketGroup[];
}

const closerOf = new Map<TokenType, string>([
  [LBrace, '}'],
  [LParen, ')'],
  [LBracket, ']'],
]);
const openerOf = new Map<TokenType, TokenType>([
  [RBrace, LBrace],
  [RParen, LParen],
  [RBracket, LBracket],
]);
const kindName = new Map<TokenType, string>([
  [LBrace, 'braces'],
  [LParen, 'parentheses'],
  [LBracket, 'brackets'],
]);

export function checkDelimiters(tokens: IToken[], lines: LineIndex): DelimiterResult {
  const diagnostics: Diagnostic[] = [];
  const reportedOffsets = new Set<number>();
  /** The tokens to parse; made (as a copy) only once a token has to be left out. */
  let kept: IToken[] | undefined;
  const open: IToken[] = [];
  const groups: BracketGroup[] = [];
  const closeGroup = (opener: IToken, closer: IToken): void => {
    if (opener.tokenType !== LBrace) groups.push({ open: opener.startOffset, close: closer.startOffset });
  };
  const spanOf = (token: IToken) => lines.span(token.startOffset, token.startOffset + token.image.length);
  const reportUnclosed = (opener: IToken, at: number, closedBy: IToken | undefined): void => {
    const position = lines.position(opener.startOffset);
    const closer = closerOf.get(opener.tokenType) ?? '?';
    diagnostics.push(
      createDiagnostic(
        syntaxDiagnostics.unclosedDelimiter,
        closedBy === undefined ? lines.span(at) : spanOf(closedBy),
        { what: kindName.get(opener.tokenType) ?? 'brackets', open: opener.image, line: position.line, column: position.column },
        {
          related: [{ span: spanOf(opener), message: `\`${opener.image}\` opened here` }],
          help: `add the missing \`${closer}\`${closedBy === undefined ? '' : ' before this point'}, or remove the \`${opener.image}\``,
        },
      ),
    );
    reportedOffsets.add(closedBy === undefined ? at : closedBy.startOffset);
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    // Past this many bracket problems the rest of the file's brackets say nothing new.
    if (diagnostics.length > MAX_DELIMITER_DIAGNOSTICS) {
      return { tokens: kept === undefined ? tokens : kept.concat(tokens.slice(index)), diagnostics, reportedOffsets, unclosedAtEnd: open.length > 0, tooDeep: false, groups: sortGroups(groups) };
    }
    const type = token.tokenType;
    if (closerOf.has(type)) {
      open.push(token);
      if (open.length > MAX_NESTING) {
        diagnostics.push(
          createDiagnostic(syntaxDiagnostics.nestingTooDeep, spanOf(token), { max: MAX_NESTING }, {
            help: 'split the expression or block into smaller pieces; nothing in a spec needs this much nesting',
          }),
        );
        return { tokens: [], diagnostics, reportedOffsets, unclosedAtEnd: false, tooDeep: true, groups: [] };
      }
      kept?.push(token);
      continue;
    }
    const opener = openerOf.get(type);
    if (opener === undefined) {
      kept?.push(token);
      continue;
    }
    const top = open[open.length - 1];
    if (top !== undefined && top.tokenType === opener) {
      closeGroup(top, token);
      open.pop();
      kept?.push(token);
      continue;
    }
    const matchAt = findLast(open, opener);
    if (matchAt === -1 && top !== undefined && top.tokenType !== LBrace) {
      // `f(1, 2]`: most likely the wrong closing bracket for the innermost `(` or `[`.
      const position = lines.position(top.startOffset);
      diagnostics.push(
        createDiagnostic(syntaxDiagnostics.mismatchedDelimiter, spanOf(token), { close: token.image, open: top.image, line: position.line, column: position.column }, {
          related: [{ span: spanOf(top), message: `\`${top.image}\` opened here` }],
          help: `write \`${closerOf.get(top.tokenType)}\` instead`,
          fix: { description: `replace with \`${closerOf.get(top.tokenType)}\``, span: spanOf(token), replacement: closerOf.get(top.tokenType) ?? token.image },
        }),
      );
      reportedOffsets.add(token.startOffset);
      closeGroup(top, token);
      open.pop();
      kept?.push(token);
      continue;
    }
    if (matchAt === -1) {
      // Closes nothing: report it and keep it away from the parser.
      const related = top === undefined ? [] : [{ span: spanOf(top), message: `\`${top.image}\` is the innermost open bracket` }];
      diagnostics.push(
        createDiagnostic(syntaxDiagnostics.unmatchedClosingDelimiter, spanOf(token), { close: token.image }, {
          related,
          help: `no \`${opener === LBrace ? '{' : opener === LParen ? '(' : '['}\` is open here; remove it${top === undefined ? '' : ` or write \`${closerOf.get(top.tokenType)}\``}`,
        }),
      );
      reportedOffsets.add(token.startOffset);
      kept ??= tokens.slice(0, index);
      continue;
    }
    // Closes an outer bracket: the inner ones were never closed.
    if (matchAt === open.length - 2) {
      const inner = open[open.length - 1];
      const position = lines.position(inner.startOffset);
      diagnostics.push(
        createDiagnostic(syntaxDiagnostics.mismatchedDelimiter, spanOf(token), { close: token.image, open: inner.image, line: position.line, column: position.column }, {
          related: [{ span: spanOf(inner), message: `\`${inner.image}\` opened here` }],
          help: `write \`${closerOf.get(inner.tokenType)}\` before this \`${token.image}\``,
        }),
      );
      reportedOffsets.add(token.startOffset);
    } else {
      for (let i = open.length - 1; i > matchAt; i--) reportUnclosed(open[i], token.startOffset, token);
    }
    for (let i = open.length - 1; i >= matchAt; i--) closeGroup(open[i], token);
    open.length = matchAt;
    kept?.push(token);
  }
  for (const opener of open) reportUnclosed(opener, lines.text.length, undefined);
  return { tokens: kept ?? tokens, diagnostics, reportedOffsets, unclosedAtEnd: open.length > 0, tooDeep: false, groups: sortGroups(groups) };
}

function sortGroups(groups: BracketGroup[]): BracketGroup[] {
  return groups.sort((a, b) => a.open - b.open);
}

function findLast(open: readonly IToken[], type: TokenType): number {
  for (let i = open.length - 1; i >= 0; i--) if (open[i].tokenType === type) return i;
  return -1;
}
