/**
 * The token types of mimo. Keywords are listed before `Identifier` and fall back to it
 * (`longer_alt`) so `models` is a name, not `model` + `s`. Categories group tokens the parser
 * consumes as one: every operator is a `BinaryOperator` (so the CST keeps them in source order),
 * and both kinds of string (closed, and left open at the end of the line) are a `StringLiteral`.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

/** A token as the lexer pass leaves it: marked when a line break separates it from the token before. */
export interface MimoToken extends IToken {
  lineBreakBefore?: boolean;
}

export function followsLineBreak(token: IToken): boolean {
  return (token as MimoToken).lineBreakBefore === true;
}

export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA });
/** A string, closed or not (an unclosed one is reported by the lexer pass and parsed as a string). */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'a string' });

/** Spaces, tabs, form feeds, and U+FEFF (a byte order mark left in text that was decoded elsewhere). */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\uFEFF]+/, group: Lexer.SKIPPED });
export const LineBreak = createToken({ name: 'LineBreak', pattern: /\r\n?|\n/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name',
});

function keyword(word: string): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Keyword],
    label: `\`${word}\``,
  });
}

export const Import = keyword('import');
export const Model = keyword('model');
export const Variant = keyword('variant');
export const Grid = keyword('grid');
export const Zip = keyword('zip');
export const Assert = keyword('assert');
export const Extends = keyword('extends');
export const Of = keyword('of');
export const In = keyword('in');
export const Exclude = keyword('exclude');
export const True = keyword('true');
export const False = keyword('false');

export const keywordTokens: readonly TokenType[] = [Import, Model, Variant, Grid, Zip, Assert, Extends, Of, In, Exclude, True, False];
export const keywords: readonly string[] = ['import', 'model', 'extends', 'variant', 'of', 'grid', 'zip', 'in', 'exclude', 'assert', 'true', 'false'];
export const declarationKeywords: readonly string[] = ['model', 'variant', 'grid', 'zip', 'import', 'assert'];

/**
 * A number, loosely: digits, `_`, a fraction, an exponent, and any letters glued on. The lexer
 * pass checks the exact form, so `1_`, `12abc` and `1e` are one malformed number, not a number
 * followed by a name.
 */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?[A-Za-z0-9_]*/,
  label: 'a number',
});

export const ClosedString = createToken({
  name: 'ClosedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLiteral],
  label: 'a string',
});
export const UnclosedString = createToken({
  name: 'UnclosedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral],
  label: 'a string',
});

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return createToken({ name, pattern: new RegExp(escaped), categories, label: `\`${text}\`` });
}

export const LBrace = punctuation('LBrace', '{');
export const RBrace = punctuation('RBrace', '}');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Colon = punctuation('Colon', ':');
export const Dot = punctuation('Dot', '.');
export const EqualEqual = punctuation('EqualEqual', '==', [BinaryOperator]);
export const NotEqual = punctuation('NotEqual', '!=', [BinaryOperator]);
export const LessEqual = punctuation('LessEqual', '<=', [BinaryOperator]);
export const GreaterEqual = punctuation('GreaterEqual', '>=', [BinaryOperator]);
export const Less = punctuation('Less', '<', [BinaryOperator]);
export const Greater = punctuation('Greater', '>', [BinaryOperator]);
export const Equals = punctuation('Equals', '=');
export const Plus = punctuation('Plus', '+', [BinaryOperator]);
export const Minus = punctuation('Minus', '-', [BinaryOperator]);
export const Star = punctuation('Star', '*', [BinaryOperator]);
export const Slash = punctuation('Slash', '/', [BinaryOperator]);
export const Percent = punctuation('Percent', '%', [BinaryOperator]);

/** Lexing order matters where one token is a prefix of another (`==` before `=`). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineBreak,
  Comment,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  ClosedString,
  UnclosedString,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Dot,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  // categories last: they match nothing themselves
  StringLiteral,
  BinaryOperator,
  Keyword,
];
