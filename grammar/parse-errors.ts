/**
 * Chevrotain's parse errors, phrased for people. The parser calls `syntaxErrorMessages` when it
 * records an error; each builder returns a JSON record (catalog key, arguments, help, where to
 * point) as the "message", and `parseErrorsToDiagnostics` turns the records into diagnostics.
 * Keeping the decision here, next to the grammar's rule names, keeps the parser free of messages.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic, Span } from '../compiler/diagnostics/types.js';
import { suggest } from '../compiler/diagnostics/suggest.js';
import type { LineIndex } from './line-index.js';
import type { ChunkParseError } from './parser.js';
import { Comma, declarationKeywords, Identifier, Keyword, LBracket, RBrace, RParen, RBracket, StringLiteral } from './tokens.js';

type SyntaxKey = keyof typeof syntaxDiagnostics;

/** What the message builders decide; serialized into the exception's message. */
interface ErrorRecord {
  readonly key: SyntaxKey;
  readonly args: Record<string, string>;
  readonly help: string;
  /** `found`: underline the offending token; `after`: point just after the previous token. */
  readonly at: 'found' | 'after';
  /** For a misspelled keyword: the keyword to put in place of the found token. */
  readonly replacement?: string;
}

const blockHelp: Readonly<Record<string, string>> = {
  block: 'a block holds entries such as `layers 32` or `norm rmsnorm(eps: 1e-5)`, one after another; close it with `}`',
  variantDeclaration: 'a variant holds assignments such as `decoder.layers = 12`; close it with `}`',
  sweepDeclaration: 'a sweep holds axes such as `decoder.layers in [12, 24]` and `exclude { ... }` clauses; close it with `}`',
  excludeClause: 'an `exclude` clause holds assignments such as `decoder.layers = 12`, separated by `,`; close it with `}`',
};

const ruleHelp: Readonly<Record<string, string>> = {
  operand: 'arguments are separated by `,` and named with `:`, as in `rmsnorm(eps: 1e-5)`',
  list: 'list items are separated by `,`, as in `[1, 2, 3]`',
  parenthesized: 'close the parenthesis after the expression',
  assignment: 'an assignment reads `path = value`, as in `decoder.layers = 12`',
  sweepAxis: 'a sweep axis reads `path in [values]`, as in `decoder.layers in [12, 24]`',
  importDeclaration: 'an import names a file in double quotes: `import "common.mimo"`',
  modelDeclaration: 'a model reads `model NAME { ... }` or `model NAME extends BASE { ... }`',
  variantDeclaration: 'a variant reads `variant NAME of MODEL { path = value ... }`',
  sweepDeclaration: 'a sweep reads `grid NAME of MODEL { path in [values] ... }`',
  argument: 'a named argument reads `name: value`',
};

function isKeyword(token: IToken): boolean {
  return token.tokenType.CATEGORIES?.includes(Keyword) ?? false;
}

function isEndOfFile(token: IToken): boolean {
  return token.tokenType === EOF;
}

/**
 * The parser reads one declaration at a time; the end of its input is then the next declaration's
 * first token, not the end of the file. The driver sets it here before each declaration.
 */
let endOfInputToken: IToken | undefined;

export function setEndOfInputToken(token: IToken | undefined): void {
  endOfInputToken = token;
}

/** Thrown out of the parser when a file has more errors than are worth finding. */
export class ParseErrorBudgetExceeded extends Error {}

/** Errors the parser may still record for the current file (each costs analysis time). */
let errorBudget = Number.POSITIVE_INFINITY;

export function setErrorBudget(budget: number): void {
  errorBudget = budget;
}

function record(value: ErrorRecord): string {
  errorBudget--;
  if (errorBudget < 0) throw new ParseErrorBudgetExceeded('too many syntax errors');
  return JSON.stringify(value);
}

/** How a token is named in a message: `` `}` ``, `` `layers` ``, `` `"<video>"` ``, or "the end of the file". */
export function describeToken(token: IToken): string {
  if (isEndOfFile(token)) return endOfInputToken === undefined ? 'the end of the file' : describeToken(endOfInputToken);
  const image = token.image.length > 24 ? `${token.image.slice(0, 20)}...` : token.image;
  return `\`${image}\``;
}

/** The previous token's text for "after `...`"; at the start of the file, there is none. */
function previousText(previous: IToken | undefined): string {
  if (previous === undefined || isEndOfFile(previous) || previous.image === '') return 'the start of the file';
  return previous.image.length > 24 ? `${previous.image.slice(0, 20)}...` : previous.image;
}

function expectedName(tokenType: TokenType): string {
  return tokenType.LABEL ?? tokenType.name;
}

function keywordWord(tokenType: TokenType): string | undefined {
  return tokenType.CATEGORIES?.includes(Keyword) ? expectedName(tokenType).replace(/`/g, '') : undefined;
}

function mismatch(expected: TokenType, actual: IToken, previous: IToken, ruleName: string): string {
  const after = previousText(previous);
  const found = describeToken(actual);
  if (expected === Identifier && isKeyword(actual)) {
    return record({ key: 'keywordAsName', args: { keyword: actual.image }, help: 'keywords cannot be names; choose another name', at: 'found' });
  }
  const keyword = keywordWord(expected);
  if (keyword !== undefined && actual.tokenType === Identifier && suggest(actual.image, [keyword]) !== undefined) {
    return record({ key: 'misspelledKeyword', args: { found: actual.image, suggestion: keyword }, help: `write \`${keyword}\` here`, at: 'found', replacement: keyword });
  }
  if (expected === RBrace && blockHelp[ruleName] !== undefined && !isEndOfFile(actual)) {
    if (isKeyword(actual) && (ruleName === 'block' || ruleName === 'variantDeclaration')) {
      return record({ key: 'keywordAsName', args: { keyword: actual.image }, help: 'keywords cannot be field names', at: 'found' });
    }
    return record({ key: 'unexpectedToken', args: { found }, help: blockHelp[ruleName], at: 'found' });
  }
  if ((expected === RParen || expected === RBracket) && actual.tokenType === Comma) {
    return record({ key: 'unexpectedToken', args: { found }, help: 'remove the extra `,`', at: 'found' });
  }
  if ((expected === RParen || expected === RBracket) && !isEndOfFile(actual)) {
    return record({ key: 'expectedToken', args: { expected: expectedName(expected), after, found }, help: ruleHelp[ruleName] ?? 'close it here', at: 'found' });
  }
  if (expected === LBracket) {
    return record({ key: 'expectedToken', args: { expected: expectedName(expected), after, found }, help: 'write the values as a list in brackets, as in `[12, 24]`', at: 'found' });
  }
  const help =
    expected === StringLiteral ? 'write the text in double quotes, as in "common.mimo"' : (ruleHelp[ruleName] ?? `insert ${expectedName(expected)} here`);
  return record({ key: 'expectedToken', args: { expected: expectedName(expected), after, found }, help, at: sameLineOrAfter(actual) });
}

function sameLineOrAfter(actual: IToken): 'found' | 'after' {
  return isEndOfFile(actual) ? 'after' : 'found';
}

function noViableAlternative(actual: IToken, previous: IToken, ruleName: string): string {
  const after = previousText(previous);
  if (ruleName === 'entry') {
    return record({
      key: 'expectedValue',
      args: { after },
      help: isKeyword(actual)
        ? `\`${actual.image}\` is a keyword and cannot be a value; write a value (\`${after} 32\`) or a block (\`${after} { ... }\`)`
        : `give \`${after}\` a value on the same line (\`${after} 32\`) or a block (\`${after} { ... }\`)`,
      at: 'after',
    });
  }
  if (ruleName === 'operand') {
    return record({ key: 'expectedValue', args: { after }, help: 'write a number, a string, `true`/`false`, a name, a call or a list here', at: 'after' });
  }
  return record({ key: 'unexpectedToken', args: { found: describeToken(actual) }, help: ruleHelp[ruleName] ?? 'remove it', at: 'found' });
}

const declarationsHelp = 'a file holds `model`, `variant`, `grid`, `zip`, `import` and `assert` declarations';

/** Top-level text that starts no declaration: a misspelled keyword if it looks like one. */
function stray(token: IToken): ErrorRecord {
  if (token.tokenType === Identifier) {
    const suggestion = suggest(token.image, declarationKeywords);
    if (suggestion !== undefined) {
      return { key: 'misspelledKeyword', args: { found: token.image, suggestion }, help: declarationsHelp, at: 'found', replacement: suggestion };
    }
    return {
      key: 'expectedDeclaration',
      args: { found: describeToken(token) },
      help: `${declarationsHelp}; entries such as \`${token.image} ...\` belong inside a \`model\` block`,
      at: 'found',
    };
  }
  if (isKeyword(token)) {
    return { key: 'expectedDeclaration', args: { found: describeToken(token) }, help: `\`${token.image}\` cannot start a declaration; ${declarationsHelp}`, at: 'found' };
  }
  return { key: 'expectedDeclaration', args: { found: describeToken(token) }, help: declarationsHelp, at: 'found' };
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous, ruleName }) => mismatch(expected, actual, previous, ruleName),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => record(stray(firstRedundant)),
  buildNoViableAltMessage: ({ actual, previous, ruleName }) => noViableAlternative(actual[0], previous, ruleName),
  buildEarlyExitMessage: ({ actual, previous, ruleName }) => noViableAlternative(actual[0], previous, ruleName),
};

/** A parse error as a diagnostic, plus where it is (for de-duplication against other passes). */
export interface LocatedParseError {
  /** Where the diagnostic points. */
  readonly offset: number;
  /** Start of the token the parser failed on (the end of the text when it ran out of input). */
  readonly tokenOffset: number;
  /** The parser ran out of input (of the file or of its declaration) without finishing. */
  readonly atEndOfInput: boolean;
  readonly diagnostic: Diagnostic;
}

export function parseErrorsToDiagnostics(errors: readonly ChunkParseError[], lines: LineIndex): LocatedParseError[] {
  const located: LocatedParseError[] = [];
  for (const { error, nextChunkStart } of errors) {
    const parsed = parseRecord(error.message);
    const previous = (error as { previousToken?: IToken }).previousToken;
    const atEndOfInput = isEndOfFile(error.token) || !Number.isFinite(error.token.startOffset);
    const token = atEndOfInput ? nextChunkStart : error.token;
    const tokenStart = token === undefined ? lines.text.length : token.startOffset;
    const tokenEnd = token === undefined ? tokenStart : tokenStart + token.image.length;
    const previousEnd = previous !== undefined && Number.isFinite(previous.startOffset) && !isEndOfFile(previous) ? previous.startOffset + previous.image.length : undefined;
    let span = lines.span(tokenStart, tokenEnd);
    if (previousEnd !== undefined && (parsed.at === 'after' || atEndOfInput)) {
      const sameLine = token !== undefined && lines.position(previousEnd).line === lines.position(tokenStart).line;
      if (!sameLine) span = lines.span(previousEnd);
    }
    located.push({ offset: span.offset, tokenOffset: tokenStart, atEndOfInput, diagnostic: toDiagnostic(parsed, span) });
  }
  return located;
}

/** The diagnostic for a token left over before the first declaration. */
export function strayTokenDiagnostic(token: IToken, lines: LineIndex): Diagnostic {
  return toDiagnostic(stray(token), lines.span(token.startOffset, token.startOffset + token.image.length));
}

function toDiagnostic(parsed: ErrorRecord, span: Span): Diagnostic {
  const fix = parsed.replacement !== undefined ? { description: `replace with \`${parsed.replacement}\``, span, replacement: parsed.replacement } : undefined;
  return createDiagnostic(syntaxDiagnostics[parsed.key], span, parsed.args, { help: parsed.help, ...(fix ? { fix } : {}) });
}

function parseRecord(message: string): ErrorRecord {
  try {
    const value = JSON.parse(message) as ErrorRecord;
    if (typeof value.key === 'string' && value.key in syntaxDiagnostics) return value;
  } catch {
    // fall through: a message Chevrotain built itself
  }
  return { key: 'unexpectedToken', args: { found: 'input' }, help: message, at: 'found' };
}
