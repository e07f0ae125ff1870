/**
 * CST to AST. Every node gets the span of the text it came from. Binary operators, parsed flat,
 * get their precedence here (`* / %` over `+ -` over comparisons; comparisons do not chain).
 * Literal problems (bad escapes, malformed numbers), chained comparisons and over-deep
 * expressions are reported here. After a syntax error the CST may be partial: parts that are
 * missing are left out of the AST (a declaration without its name is dropped), never invented.
 */
import type { IToken } from 'chevrotain';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { syntaxDiagnostics } from '../compiler/diagnostics/catalog/syntax.js';
import type { Diagnostic, Span } from '../compiler/diagnostics/types.js';
import type * as ast from './ast.js';
import type * as cst from './cst.js';
import type { LineIndex } from './line-index.js';
import type { LocatedParseError } from './parse-errors.js';
import { decodeString, parseNumber } from './literals.js';
import { Identifier as IdentifierToken, Zip } from './tokens.js';
import { operatorPrecedence } from './operators.js';

/** Deepest expression tree the builder hands on; deeper ones are reported and left out. */
export const MAX_EXPRESSION_DEPTH = 1000;

export interface BuildResult {
  readonly file: ast.SourceFile;
  /** Problems in literals and expressions. */
  readonly diagnostics: Diagnostic[];
  /** Problems in the shape of the code, to be filtered with the parser's errors (see cascade.ts). */
  readonly structural: LocatedParseError[];
}

/** A built expression and the depth of its tree (kept beside it, not in the AST). */
interface Built {
  readonly node: ast.Expression;
  readonly depth: number;
}

const precedence: Readonly<Record<string, number>> = operatorPrecedence;

function malformedNumberHelp(image: string): string {
  if (/^[0-9_.]*[0-9_][eE][+-]?$/.test(image)) return 'an exponent needs digits after the `e`, as in `1e-5`';
  if (/^[0-9_.eE+-]+$/.test(image)) return 'put single `_` only between digits, as in `32_000`';
  return 'a number cannot have letters glued to it; put a space between a number and a name';
}

/** A token that is really in the text (not one the parser's recovery pretended to see). */
function real(tokens: readonly IToken[] | undefined, index = 0): IToken | undefined {
  const token = tokens?.[index];
  if (token === undefined || token.isInsertedInRecovery === true || !Number.isFinite(token.startOffset)) return undefined;
  return token;
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * Builds the AST one declaration at a time (`add`), so each declaration's CST can be dropped as
 * soon as it is built (on large files this keeps the garbage collector's work small), then the
 * file (`finish`).
 */
export class AstBuilder {
  private readonly diagnostics: Diagnostic[] = [];
  /** Errors in the shape of the code (not in a literal): filtered for follow-on errors like the parser's. */
  private readonly structural: LocatedParseError[] = [];
  private readonly declarations: ast.Declaration[] = [];

  constructor(private readonly lines: LineIndex) {}

  add(node: cst.DeclarationCstNode): void {
    const declaration = this.declaration(node);
    if (declaration !== undefined) this.declarations.push(declaration);
  }

  finish(commentTokens: readonly IToken[]): BuildResult {
    const comments: ast.Comment[] = commentTokens.map((token) => {
      const text = token.image.slice(1).trimEnd();
      return { kind: 'Comment', text, span: this.span(token.startOffset, token.startOffset + 1 + text.length) };
    });
    const file: ast.SourceFile = {
      kind: 'SourceFile',
      path: this.lines.path,
      text: this.lines.text,
      declarations: this.declarations,
      comments,
      span: this.span(0, this.lines.text.length),
    };
    return { file, diagnostics: this.diagnostics, structural: this.structural };
  }

  private located(token: IToken, offset: number, diagnostic: Diagnostic): LocatedParseError {
    return { offset, tokenOffset: token.startOffset, atEndOfInput: false, diagnostic };
  }

  private span(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  private tokenSpan(token: IToken): Span {
    return this.lines.span(token.startOffset, tokenEnd(token));
  }

  private identifier(token: IToken | undefined): ast.Identifier | undefined {
    if (token === undefined || token.tokenType !== IdentifierToken) return undefined;
    return { kind: 'Identifier', name: token.image, span: this.tokenSpan(token) };
  }

  private declaration(node: cst.DeclarationCstNode): ast.Declaration | undefined {
    const c = node.children;
    if (c.importDeclaration?.[0]) return this.importDeclaration(c.importDeclaration[0]);
    if (c.modelDeclaration?.[0]) return this.modelDeclaration(c.modelDeclaration[0]);
    if (c.variantDeclaration?.[0]) return this.variantDeclaration(c.variantDeclaration[0]);
    if (c.sweepDeclaration?.[0]) return this.sweepDeclaration(c.sweepDeclaration[0]);
    if (c.assertDeclaration?.[0]) return this.assertDeclaration(c.assertDeclaration[0]);
    return undefined;
  }

  // ---- declarations ---------------------------------------------------------------------------

  private importDeclaration(node: cst.ImportDeclarationCstNode): ast.ImportDeclaration | undefined {
    const keyword = node.children.Import[0];
    const pathToken = real(node.children.path);
    if (pathToken === undefined) return undefined;
    const path = this.stringLiteral(pathToken);
    return { kind: 'ImportDeclaration', path, span: this.span(keyword.startOffset, path.span.endOffset) };
  }

  private modelDeclaration(node: cst.ModelDeclarationCstNode): ast.ModelDeclaration | undefined {
    const c = node.children;
    const name = this.identifier(real(c.name));
    const base = real(c.base);
    const extendsName = this.identifier(base);
    const body = c.block?.[0] === undefined ? undefined : this.block(c.block[0]);
    if (name === undefined || body === undefined || (c.Extends !== undefined && extendsName === undefined)) return undefined;
    return { kind: 'ModelDeclaration', name, extends: extendsName, body, span: this.span(c.Model[0].startOffset, body.span.endOffset) };
  }

  private variantDeclaration(node: cst.VariantDeclarationCstNode): ast.VariantDeclaration | undefined {
    const c = node.children;
    const name = this.identifier(real(c.name));
    const base = this.identifier(real(c.base));
    const open = real(c.LBrace);
    if (name === undefined || base === undefined || open === undefined) return undefined;
    const assignments = this.assignments(c.assignment);
    const end = this.closingEnd(real(c.RBrace), open, assignments[assignments.length - 1]);
    return { kind: 'VariantDeclaration', name, base, assignments, span: this.span(c.Variant[0].startOffset, end) };
  }

  private sweepDeclaration(node: cst.SweepDeclarationCstNode): ast.SweepDeclaration | undefined {
    const c = node.children;
    const modeToken = real(c.mode);
    const name = this.identifier(real(c.name));
    const base = this.identifier(real(c.base));
    const open = real(c.LBrace);
    if (modeToken === undefined || name === undefined || base === undefined || open === undefined) return undefined;
    const axes: ast.SweepAxis[] = [];
    for (const axisNode of c.sweepAxis ?? []) {
      const axis = this.sweepAxis(axisNode);
      if (axis !== undefined) axes.push(axis);
    }
    const excludes: ast.ExcludeClause[] = [];
    for (const excludeNode of c.excludeClause ?? []) {
      const clause = this.excludeClause(excludeNode);
      if (clause !== undefined) excludes.push(clause);
    }
    const lastAxis = axes[axes.length - 1];
    const lastExclude = excludes[excludes.length - 1];
    const last = lastAxis === undefined || (lastExclude !== undefined && lastExclude.span.offset > lastAxis.span.offset) ? lastExclude : lastAxis;
    const end = this.closingEnd(real(c.RBrace), open, last);
    const mode = modeToken.tokenType === Zip ? 'zip' : 'grid';
    return { kind: 'SweepDeclaration', mode, name, base, axes, excludes, span: this.span(modeToken.startOffset, end) };
  }

  /** End of a bracketed construct: its closing token, or (when that is missing) the end of the last thing inside. */
  private closingEnd(close: IToken | undefined, open: IToken, last: { readonly span: Span } | undefined): number {
    if (close !== undefined) return tokenEnd(close);
    return last === undefined ? tokenEnd(open) : last.span.endOffset;
  }

  private sweepAxis(node: cst.SweepAxisCstNode): ast.SweepAxis | undefined {
    const path = node.children.path?.[0] === undefined ? undefined : this.path(node.children.path[0]);
    const listNode = node.children.list?.[0];
    const values = this.shallowEnough(listNode === undefined ? undefined : this.list(listNode));
    if (path === undefined || values === undefined || values.kind !== 'ListExpression') return undefined;
    return { kind: 'SweepAxis', path, values, span: this.span(path.span.offset, values.span.endOffset) };
  }

  private excludeClause(node: cst.ExcludeClauseCstNode): ast.ExcludeClause | undefined {
    const c = node.children;
    const conditions = this.assignments(c.assignment);
    const end = this.closingEnd(real(c.RBrace), c.Exclude[0], conditions[conditions.length - 1]);
    return { kind: 'ExcludeClause', conditions, span: this.span(c.Exclude[0].startOffset, end) };
  }

  private assignments(nodes: readonly cst.AssignmentCstNode[] | undefined): ast.Assignment[] {
    const result: ast.Assignment[] = [];
    for (const node of nodes ?? []) {
      const assignment = this.assignment(node);
      if (assignment !== undefined) result.push(assignment);
    }
    return result;
  }

  private assignment(node: cst.AssignmentCstNode): ast.Assignment | undefined {
    const path = node.children.path?.[0] === undefined ? undefined : this.path(node.children.path[0]);
    const equals = real(node.children.Equals);
    if (equals !== undefined && node.children.operand === undefined) {
      this.structural.push(
        this.located(equals, tokenEnd(equals), createDiagnostic(syntaxDiagnostics.expectedValue, this.span(tokenEnd(equals), tokenEnd(equals)), { after: '=' }, {
          help: 'write the value after `=` on the same line, as in `decoder.layers = 12`',
        })),
      );
    }
    const value = this.shallowEnough(this.flatExpression(node.children.operand, node.children.BinaryOperator));
    if (path === undefined || value === undefined || equals === undefined) return undefined;
    return { kind: 'Assignment', path, value, span: this.span(path.span.offset, value.span.endOffset) };
  }

  private assertDeclaration(node: cst.AssertDeclarationCstNode): ast.AssertDeclaration | undefined {
    const c = node.children;
    const condition = this.expression(c.expression?.[0]);
    if (condition === undefined) return undefined;
    const messageToken = real(c.message);
    const message = messageToken === undefined ? undefined : this.stringLiteral(messageToken);
    const end = message?.span.endOffset ?? condition.span.endOffset;
    return { kind: 'AssertDeclaration', condition, message, span: this.span(c.Assert[0].startOffset, end) };
  }

  // ---- blocks ---------------------------------------------------------------------------------

  private block(node: cst.BlockCstNode): ast.Block | undefined {
    const c = node.children;
    const open = real(c.LBrace);
    if (open === undefined) return undefined;
    const entries: ast.Entry[] = [];
    for (const entryNode of c.entry ?? []) {
      const entry = this.entry(entryNode);
      if (entry !== undefined) entries.push(entry);
    }
    const end = this.closingEnd(real(c.RBrace), open, entries[entries.length - 1]);
    return { kind: 'Block', entries, span: this.span(open.startOffset, end) };
  }

  private entry(node: cst.EntryCstNode): ast.Entry | undefined {
    const c = node.children;
    const key = this.identifier(real(c.key));
    if (key === undefined) return undefined;
    const value = c.operand === undefined ? undefined : this.shallowEnough(this.flatExpression(c.operand, c.BinaryOperator));
    const separator = real(c.misplacedSeparator);
    if (separator !== undefined) {
      const span = this.tokenSpan(separator);
      const written = value === undefined ? '' : this.lines.text.slice(value.span.offset, value.span.endOffset);
      const example = written === '' || written.length > 30 || /[\r\n]/.test(written) ? '32' : written;
      this.structural.push(
        this.located(separator, separator.startOffset, createDiagnostic(syntaxDiagnostics.unexpectedToken, span, { found: `\`${separator.image}\`` }, {
          help: `an entry is a name and a value with no \`${separator.image}\` between, as in \`${key.name} ${example}\`; \`=\` is for assignments in variants and sweeps`,
          fix: { description: `remove \`${separator.image}\``, span, replacement: '' },
        })),
      );
    }
    const blockNode = c.block?.[0];
    const block = blockNode === undefined ? undefined : this.block(blockNode);
    if (value === undefined && block === undefined) return undefined;
    const end = block?.span.endOffset ?? value?.span.endOffset ?? key.span.endOffset;
    return { kind: 'Entry', key, value, block, span: this.span(key.span.offset, end) };
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** A whole expression, or undefined when it is incomplete or too deep (both already reported). */
  private expression(node: cst.ExpressionCstNode | undefined): ast.Expression | undefined {
    return this.shallowEnough(node === undefined ? undefined : this.flatExpression(node.children.operand, node.children.BinaryOperator));
  }

  private shallowEnough(built: Built | undefined): ast.Expression | undefined {
    if (built === undefined) return undefined;
    if (built.depth > MAX_EXPRESSION_DEPTH) {
      this.diagnostics.push(
        createDiagnostic(syntaxDiagnostics.expressionTooDeep, built.node.span, { max: MAX_EXPRESSION_DEPTH }, {
          help: 'split it into smaller expressions; a spec never needs this much nesting',
        }),
      );
      return undefined;
    }
    return built.node;
  }

  /** Operands and operators in source order, combined by precedence (left-associative). */
  private flatExpression(operandList: readonly cst.OperandCstNode[] | undefined, operatorList: readonly IToken[] | undefined): Built | undefined {
    const operandNodes = operandList ?? [];
    const operators = operatorList ?? [];
    if (operandNodes.length === 0 || operators.length !== operandNodes.length - 1) return undefined;
    const values: Built[] = [];
    const pending: IToken[] = [];
    let comparison: IToken | undefined;
    const reduce = (): void => {
      const operator = pending.pop() as IToken;
      const right = values.pop() as Built;
      const left = values.pop() as Built;
      const binary: ast.BinaryExpression = {
        kind: 'BinaryExpression',
        operator: operator.image as ast.BinaryOperator,
        left: left.node,
        right: right.node,
        span: this.span(left.node.span.offset, right.node.span.endOffset),
      };
      values.push({ node: binary, depth: Math.max(left.depth, right.depth) + 1 });
    };
    const first = this.operand(operandNodes[0]);
    if (first === undefined) return undefined;
    values.push(first);
    for (let i = 0; i < operators.length; i++) {
      const operator = operators[i];
      const level = precedence[operator.image] ?? 0;
      if (level === 1) {
        if (comparison !== undefined) {
          this.diagnostics.push(
            createDiagnostic(syntaxDiagnostics.chainedComparison, this.tokenSpan(operator), { first: comparison.image, second: operator.image }, {
              help: 'write one comparison per `assert`, or use parentheses to say which comes first',
              related: [{ span: this.tokenSpan(comparison), message: 'the first comparison' }],
            }),
          );
        }
        comparison = operator;
      }
      while (pending.length > 0 && (precedence[pending[pending.length - 1].image] ?? 0) >= level) reduce();
      const operand = this.operand(operandNodes[i + 1]);
      if (operand === undefined) return undefined;
      pending.push(operator);
      values.push(operand);
    }
    while (pending.length > 0) reduce();
    return values[0];
  }

  /** `-`* primary: unary minus signs wrap the primary from the inside out. */
  private operand(node: cst.OperandCstNode): Built | undefined {
    const primary = this.primary(node);
    if (primary === undefined) return undefined;
    const minuses = node.children.Minus ?? [];
    let result = primary;
    for (let i = minuses.length - 1; i >= 0; i--) {
      const minus = minuses[i];
      const unary: ast.UnaryExpression = {
        kind: 'UnaryExpression',
        operator: '-',
        operand: result.node,
        span: this.span(minus.startOffset, result.node.span.endOffset),
      };
      result = { node: unary, depth: result.depth + 1 };
    }
    return result;
  }

  private primary(node: cst.OperandCstNode): Built | undefined {
    const c = node.children;
    const number = real(c.NumberLiteral);
    if (number !== undefined) return { node: this.numberLiteral(number), depth: 1 };
    const string = real(c.StringLiteral);
    if (string !== undefined) return { node: this.stringLiteral(string), depth: 1 };
    const boolean = real(c.True) ?? real(c.False);
    if (boolean !== undefined) return { node: { kind: 'BooleanLiteral', value: boolean.image === 'true', span: this.tokenSpan(boolean) }, depth: 1 };
    if (c.list?.[0] !== undefined) return this.list(c.list[0]);
    if (c.parenthesized?.[0] !== undefined) return this.parenthesized(c.parenthesized[0]);
    if (c.segment !== undefined) return this.reference(c);
    return undefined;
  }

  private numberLiteral(token: IToken): ast.NumberLiteral {
    const parsed = parseNumber(token.image);
    const span = this.tokenSpan(token);
    if (parsed.malformed) {
      this.diagnostics.push(
        createDiagnostic(syntaxDiagnostics.malformedNumber, span, { text: token.image }, { help: malformedNumberHelp(token.image) }),
      );
    } else if (parsed.outOfRange) {
      this.diagnostics.push(
        createDiagnostic(syntaxDiagnostics.numberOutOfRange, span, { text: token.image }, { help: 'numbers must be below about 1.8e308' }),
      );
    }
    return { kind: 'NumberLiteral', value: parsed.value, raw: parsed.raw, isInteger: parsed.isInteger, span };
  }

  private stringLiteral(token: IToken): ast.StringLiteral {
    const decoded = decodeString(token.image);
    for (const problem of decoded.invalidEscapes) {
      this.diagnostics.push(
        createDiagnostic(
          syntaxDiagnostics.invalidEscape,
          this.span(token.startOffset + problem.start, token.startOffset + problem.end),
          { escape: problem.text },
          { help: 'the escapes are `\\"`, `\\\\`, `\\n`, `\\t` and `\\u{1F600}` (hexadecimal, at most 10FFFF); write `\\\\` for a backslash' },
        ),
      );
    }
    return { kind: 'StringLiteral', value: decoded.value, span: this.tokenSpan(token) };
  }

  private list(node: cst.ListCstNode): Built | undefined {
    const c = node.children;
    const open = real(c.LBracket);
    if (open === undefined) return undefined;
    const items: ast.Expression[] = [];
    let depth = 1;
    for (const itemNode of c.expression ?? []) {
      const item = this.flatExpression(itemNode.children.operand, itemNode.children.BinaryOperator);
      if (item === undefined) continue;
      items.push(item.node);
      depth = Math.max(depth, item.depth + 1);
    }
    const end = this.closingEnd(real(c.RBracket), open, items[items.length - 1]);
    return { node: { kind: 'ListExpression', items, span: this.span(open.startOffset, end) }, depth };
  }

  private parenthesized(node: cst.ParenthesizedCstNode): Built | undefined {
    const open = real(node.children.LParen);
    const innerNode = node.children.expression?.[0];
    const inner = innerNode === undefined ? undefined : this.flatExpression(innerNode.children.operand, innerNode.children.BinaryOperator);
    if (open === undefined || inner === undefined) return undefined;
    const end = this.closingEnd(real(node.children.RParen), open, inner.node);
    return { node: { kind: 'ParenthesizedExpression', expression: inner.node, span: this.span(open.startOffset, end) }, depth: inner.depth + 1 };
  }

  /** A dotted path, or a call when `(` follows it. */
  private reference(c: cst.OperandCstChildren): Built | undefined {
    const callee = this.segments(c.segment);
    if (callee === undefined) return undefined;
    const open = real(c.LParen);
    if (open === undefined) return { node: callee, depth: 1 };
    const args: ast.Argument[] = [];
    let depth = 1;
    let end = tokenEnd(open);
    for (const argumentNode of c.argument ?? []) {
      const value = this.flatExpression(argumentNode.children.operand, argumentNode.children.BinaryOperator);
      if (value === undefined) continue;
      const name = real(argumentNode.children.Colon) === undefined ? undefined : this.identifier(real(argumentNode.children.name));
      const start = name?.span.offset ?? value.node.span.offset;
      args.push({ kind: 'Argument', name, value: value.node, span: this.span(start, value.node.span.endOffset) });
      depth = Math.max(depth, value.depth + 1);
      end = value.node.span.endOffset;
    }
    const close = real(c.RParen);
    if (close !== undefined) end = tokenEnd(close);
    return { node: { kind: 'CallExpression', callee, args, span: this.span(callee.span.offset, end) }, depth };
  }

  private path(node: cst.PathCstNode): ast.PathExpression | undefined {
    return this.segments(node.children.segment);
  }

  private segments(tokens: readonly IToken[] | undefined): ast.PathExpression | undefined {
    const segments: ast.Identifier[] = [];
    for (const token of tokens ?? []) {
      const segment = token.isInsertedInRecovery === true ? undefined : this.identifier(token);
      if (segment === undefined) return undefined;
      segments.push(segment);
    }
    if (segments.length === 0) return undefined;
    return { kind: 'PathExpression', segments, span: this.span(segments[0].span.offset, segments[segments.length - 1].span.endOffset) };
  }
}
