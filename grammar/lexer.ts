/**
 * Text to tokens. The Chevrotain lexer is built once per process on first use. Comments are kept
 * in their own group for the formatter. Each token records whether a line break comes before it
 * (`lineBreakBefore`): an entry's value must start on the line of its key. Characters that start
 * no token and strings left open at the end of their line become diagnostics; lexing always goes
 * on to the end of the text.
 */
import type { IToken } from 'chevrotain';
import { Lexer } from './chevrotain.js';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import type { LineIndex } from './line-index.js';
import type { GrammarBuildOptions } from './parser.js';
import { allTokens, type MimoToken, UnclosedString } from './tokens.js';

export interface LexResult {
  /** Tokens the parser reads (no whitespace, no comments). */
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

let lexer: Lexer | undefined;

/** A lexer for mimo's tokens; `validate` runs Chevrotain's checks of the token definitions (see GrammarBuildOptions). */
export function createLexer(options: GrammarBuildOptions = {}): Lexer {
  return new Lexer([...allTokens], { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: options.validate !== true });
}

function getLexer(): Lexer {
  lexer ??= createLexer();
  return lexer;
}

export function lex(lines: LineIndex): LexResult {
  const result = getLexer().tokenize(lines.text);
  const diagnostics: Diagnostic[] = [];
  for (const error of result.errors) {
    const text = lines.text.slice(error.offset, error.offset + error.length);
    diagnostics.push(
      createDiagnostic(syntaxDiagnostics.unexpectedCharacter, lines.span(error.offset, error.offset + error.length), { characters: describeCharacters(text) }, {
        help: helpForCharacter(text),
      }),
    );
  }
  const text = lines.text;
  let previousEnd = 0;
  for (const token of result.tokens as MimoToken[]) {
    let lineBreak = false;
    for (let i = previousEnd; i < token.startOffset && !lineBreak; i++) {
      const code = text.charCodeAt(i);
      lineBreak = code === 10 || code === 13;
    }
    token.lineBreakBefore = lineBreak; // set on every token, so all tokens keep one shape
    previousEnd = token.startOffset + token.image.length;
    if (token.tokenType === UnclosedString) {
      diagnostics.push(
        createDiagnostic(syntaxDiagnostics.unterminatedString, lines.span(token.startOffset, token.startOffset + token.image.length), {}, {
          help: 'add the closing `"` on the same line; a string cannot span lines',
        }),
      );
    }
  }
  const comments = result.groups['comments'] ?? [];
  return { tokens: result.tokens, comments, diagnostics };
}

/** "character `@`", "character U+0007", "characters `@` `$`" (a run is listed, up to 8). */
export function describeCharacters(text: string): string {
  const chars = [...text];
  const shown = chars.slice(0, 8).map((char) => (isVisible(char) && char !== '`' ? `\`${char}\`` : codePointName(char)));
  const list = chars.length > 8 ? `${shown.join(' ')} and ${chars.length - 8} more` : shown.join(' ');
  return `${chars.length === 1 ? 'character' : 'characters'} ${list}`;
}

function isVisible(char: string): boolean {
  return !/[\p{C}\p{Z}\uFFFD]/u.test(char);
}

function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function helpForCharacter(text: string): string {
  const first = text[0];
  if (first === ';') return 'entries need no separator; remove the `;`';
  if (first === "'") return 'strings use double quotes: "..."';
  if (first === '!') return 'use `!=` for "not equal"; there is no `!` operator';
  if (first === '&' || first === '|') return 'mimo has no logical operators; write one `assert` per condition';
  if (first === '\uFFFD') return 'this character replaced bytes that were not UTF-8; save the file as UTF-8';
  if (first === '\0') return 'remove the zero byte; mimo source is plain text';
  return 'remove it, or put it inside a string or a `#` comment';
}
