/**
 * The CLI builds its lexer and parser with Chevrotain's definition checks off (they cost cold-start
 * time and depend only on the grammar's code). This test runs them, so a grammar change that makes
 * an alternative ambiguous, a rule left-recursive or a token unreachable still fails `npm test`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lexer, createToken } from '../../grammar/chevrotain.js';
import { createLexer } from '../../grammar/lexer.js';
import { MimoParser } from '../../grammar/parser.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Chevrotain's checks of mimo's grammar", () => {
  it('the token definitions pass the lexer checks without errors or warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const lexer = createLexer({ validate: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('the parser passes the grammar checks (performSelfAnalysis throws on a bad grammar)', () => {
    expect(() => new MimoParser({ validate: true })).not.toThrow();
  });

  it('the checks are really run when asked for: an unreachable token is refused', () => {
    // The same options createLexer uses, with a definition the checks must reject.
    const word = createToken({ name: 'Word', pattern: /[a-z]+/ });
    const keyword = createToken({ name: 'Keyword', pattern: /model/ });
    expect(() => new Lexer([word, keyword], { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: false })).toThrow(/unreachable|can never be matched/i);
    expect(() => new Lexer([word, keyword], { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true })).not.toThrow();
  });
});
