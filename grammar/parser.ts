/**
 * The Chevrotain CST parser for docs/language.md. One instance per process, made on first use.
 * Error recovery is on, so one run reports every syntax error it can tell apart. Expressions are
 * parsed flat (`operand (operator operand)*`) and given their precedence by the AST builder: this
 * keeps the rule stack two rules deep per `(`, which matters for deeply nested input.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import type { DeclarationCstNode } from './cst.js';
import { ParseErrorBudgetExceeded, setEndOfInputToken, setErrorBudget, syntaxErrorMessages } from './parse-errors.js';
import * as t from './tokens.js';

export interface GrammarBuildOptions {
  /**
   * Run Chevrotain's checks of the grammar itself (ambiguous alternatives, left recursion, ...).
   * They cost ~10 ms of every cold start and can only fail when the grammar's code changes, so
   * the CLI skips them and a test (grammar-definition-passes-chevrotain-validations) runs them.
   */
  readonly validate?: boolean;
}

export class MimoParser extends CstParser {
  constructor(options: GrammarBuildOptions = {}) {
    super([...t.allTokens], {
      recoveryEnabled: true,
      maxLookahead: 2,
      errorMessageProvider: syntaxErrorMessages,
      skipValidations: options.validate !== true,
    });
    this.performSelfAnalysis();
  }

  /**
   * Recovery may pretend a missing token is there, but not an opening bracket: its closing
   * partner is never found, and every later token would be reported against it.
   */
  protected override canTokenTypeBeInsertedInRecovery(tokenType: TokenType): boolean {
    return tokenType !== t.LBrace && tokenType !== t.LParen && tokenType !== t.LBracket;
  }

  /** The whole file: declaration*. (The driver below parses one declaration at a time; see `parseDeclarations`.) */
  readonly sourceFile = this.RULE('sourceFile', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  readonly declaration = this.RULE('declaration', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importDeclaration) },
      { ALT: () => this.SUBRULE(this.modelDeclaration) },
      { ALT: () => this.SUBRULE(this.variantDeclaration) },
      { ALT: () => this.SUBRULE(this.sweepDeclaration) },
      { ALT: () => this.SUBRULE(this.assertDeclaration) },
    ]);
  });

  readonly importDeclaration = this.RULE('importDeclaration', () => {
    this.CONSUME(t.Import);
    this.CONSUME(t.StringLiteral, { LABEL: 'path' });
  });

  readonly modelDeclaration = this.RULE('modelDeclaration', () => {
    this.CONSUME(t.Model);
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(t.Extends);
      this.CONSUME2(t.Identifier, { LABEL: 'base' });
    });
    this.SUBRULE(this.block);
  });

  readonly variantDeclaration = this.RULE('variantDeclaration', () => {
    this.CONSUME(t.Variant);
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.CONSUME(t.Of);
    this.CONSUME2(t.Identifier, { LABEL: 'base' });
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.assignment));
    this.CONSUME(t.RBrace);
  });

  readonly sweepDeclaration = this.RULE('sweepDeclaration', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Grid, { LABEL: 'mode' }) }, { ALT: () => this.CONSUME(t.Zip, { LABEL: 'mode' }) }]);
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.CONSUME(t.Of);
    this.CONSUME2(t.Identifier, { LABEL: 'base' });
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      this.OR2([{ ALT: () => this.SUBRULE(this.sweepAxis) }, { ALT: () => this.SUBRULE(this.excludeClause) }]);
    });
    this.CONSUME(t.RBrace);
  });

  readonly sweepAxis = this.RULE('sweepAxis', () => {
    this.SUBRULE(this.path);
    this.CONSUME(t.In);
    this.SUBRULE(this.list);
  });

  readonly excludeClause = this.RULE('excludeClause', () => {
    this.CONSUME(t.Exclude);
    this.CONSUME(t.LBrace);
    this.SUBRULE(this.assignment);
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(t.Comma));
      this.SUBRULE2(this.assignment);
    });
    this.CONSUME(t.RBrace);
  });

  /** `path = value`; the value's operands are inlined (see `entry`). */
  readonly assignment = this.RULE('assignment', () => {
    this.SUBRULE(this.path);
    this.CONSUME(t.Equals);
    // The value starts on the line of the `=`; a missing one is reported by the AST builder, and
    // the next line is read as the next assignment.
    this.OPTION({
      GATE: () => !t.followsLineBreak(this.LA(1)),
      DEF: () => {
        this.SUBRULE(this.operand);
        this.MANY(() => {
          this.CONSUME(t.BinaryOperator);
          this.SUBRULE2(this.operand);
        });
      },
    });
  });

  readonly assertDeclaration = this.RULE('assertDeclaration', () => {
    this.CONSUME(t.Assert);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(t.StringLiteral, { LABEL: 'message' }));
  });

  readonly block = this.RULE('block', () => {
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.entry));
    this.CONSUME(t.RBrace);
  });

  /**
   * `key block` | `key value block?`. The value is `expression` written out in place (operands and
   * operators): entries are most of a spec, and one rule fewer per entry is a CST node fewer.
   */
  readonly entry = this.RULE('entry', () => {
    this.CONSUME(t.Identifier, { LABEL: 'key' });
    this.OR([
      { ALT: () => this.SUBRULE(this.block) },
      {
        // The value starts on the key's line: `layers` alone on a line is a missing value, not `layers hidden`.
        GATE: () => !t.followsLineBreak(this.LA(1)),
        ALT: () => {
          // `dtype = bfloat16` is read as `dtype bfloat16` and reported by the AST builder.
          this.OPTION3(() => {
            this.OR2([
              { ALT: () => this.CONSUME(t.Equals, { LABEL: 'misplacedSeparator' }) },
              { ALT: () => this.CONSUME(t.Colon, { LABEL: 'misplacedSeparator' }) },
            ]);
          });
          this.SUBRULE(this.operand);
          this.MANY(() => {
            this.CONSUME(t.BinaryOperator);
            this.SUBRULE2(this.operand);
          });
          this.OPTION(() => this.SUBRULE2(this.block));
        },
      },
    ]);
  });

  /** Operands and binary operators in source order; precedence is applied by the AST builder. */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(t.BinaryOperator);
      this.SUBRULE2(this.operand);
    });
  });

  /**
   * `-`* then a primary: a literal, a list, a parenthesized expression, or a dotted path that is a
   * call when `(` follows. The path and call are written out here rather than as subrules: most
   * values are names or calls, and each rule invocation costs time on large files.
   */
  readonly operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(t.Minus));
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      {
        ALT: () => {
          this.CONSUME(t.Identifier, { LABEL: 'segment' });
          this.MANY2(() => {
            this.CONSUME(t.Dot);
            this.CONSUME2(t.Identifier, { LABEL: 'segment' });
          });
          this.OPTION(() => {
            this.CONSUME(t.LParen);
            this.OPTION2(() => {
              this.SUBRULE(this.argument);
              this.MANY3(() => {
                this.CONSUME(t.Comma);
                this.SUBRULE2(this.argument);
              });
              this.OPTION3(() => this.CONSUME2(t.Comma, { LABEL: 'trailingComma' }));
            });
            this.CONSUME(t.RParen);
          });
        },
      },
    ]);
  });

  readonly parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(t.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(t.RParen);
  });

  readonly list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(t.Comma, { LABEL: 'trailingComma' }));
    });
    this.CONSUME(t.RBracket);
  });

  /** `(name:)? value`; the value's operands are inlined (see `entry`). */
  readonly argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(t.Identifier, { LABEL: 'name' });
      this.CONSUME(t.Colon);
    });
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(t.BinaryOperator);
      this.SUBRULE2(this.operand);
    });
  });

  readonly path = this.RULE('path', () => {
    this.CONSUME(t.Identifier, { LABEL: 'segment' });
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Identifier, { LABEL: 'segment' });
    });
  });
}

let parser: MimoParser | undefined;

/** The process's one parser, built on first use (building analyses the grammar, which takes a moment). */
export function getParser(): MimoParser {
  parser ??= new MimoParser();
  return parser;
}

/** A parse error and, when it is about the end of a chunk, the token that follows the chunk. */
export interface ChunkParseError {
  readonly error: IRecognitionException;
  /** Set when the error is at the end of its chunk and another chunk follows: the token the parser really stopped at. */
  readonly nextChunkStart: IToken | undefined;
}

export interface DeclarationsParseResult {
  readonly errors: ChunkParseError[];
  /** Tokens before the first declaration keyword (reported as stray text). */
  readonly leading: IToken[];
  /** Set when parsing stopped early (MAX_PARSE_ERRORS): the first token of the declaration that was abandoned. */
  readonly stoppedAt: IToken | undefined;
}

/** The parser stops looking for more errors after this many; far more than a person reads. */
export const MAX_PARSE_ERRORS = 200;

const declarationStarts = new Set<TokenType>([t.Import, t.Model, t.Variant, t.Grid, t.Zip, t.Assert]);

/**
 * Parses the tokens one declaration at a time. The tokens are cut before every declaration keyword
 * at bracket depth 0, and before one that begins a line inside an unclosed bracket (where the
 * previous declaration most likely lost its `}`). Declaration keywords are reserved, so a correct
 * file is cut exactly between its declarations; in a broken one, each chunk's errors stay in that
 * chunk, and recovery inside a chunk never skips into the next declaration. Each declaration's
 * CST goes to `onDeclaration` as soon as it is parsed.
 */
export function parseDeclarations(tokens: IToken[], onDeclaration: (node: DeclarationCstNode) => void): DeclarationsParseResult {
  // Chevrotain records each syntax error as an Error; their stack traces are never read and,
  // captured by the thousand, would dominate the time spent on a badly broken file.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  setErrorBudget(MAX_PARSE_ERRORS);
  try {
    return parseChunks(tokens, onDeclaration);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    setErrorBudget(Number.POSITIVE_INFINITY);
    setEndOfInputToken(undefined);
    getParser().input = [];
  }
}

function parseChunks(tokens: IToken[], onDeclaration: (node: DeclarationCstNode) => void): DeclarationsParseResult {
  const instance = getParser();
  const starts: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    if (type === t.LBrace || type === t.LParen || type === t.LBracket) depth++;
    else if (type === t.RBrace || type === t.RParen || type === t.RBracket) depth = Math.max(0, depth - 1);
    else if (declarationStarts.has(type) && (depth === 0 || i === 0 || t.followsLineBreak(token))) {
      starts.push(i);
      depth = 0;
    }
  }
  const leading = tokens.slice(0, starts[0] ?? tokens.length);
  const errors: ChunkParseError[] = [];
  for (let k = 0; k < starts.length; k++) {
    const end = starts[k + 1] ?? tokens.length;
    const nextChunkStart = k + 1 < starts.length ? tokens[end] : undefined;
    setEndOfInputToken(nextChunkStart);
    instance.input = tokens.slice(starts[k], end);
    let declaration: DeclarationCstNode | undefined;
    let exceeded = false;
    try {
      declaration = instance.declaration() as DeclarationCstNode | undefined;
    } catch (error) {
      if (!(error instanceof ParseErrorBudgetExceeded)) throw error;
      exceeded = true;
    }
    for (const error of instance.errors) {
      errors.push({ error, nextChunkStart: error.token.tokenType === EOF ? nextChunkStart : undefined });
    }
    if (exceeded) return { errors, leading, stoppedAt: tokens[starts[k]] };
    if (declaration !== undefined) onDeclaration(declaration);
  }
  return { errors, leading, stoppedAt: undefined };
}
