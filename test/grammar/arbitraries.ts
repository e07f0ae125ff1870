/**
 * fast-check generators for the grammar tests: random token soup, mutations of real specs, and
 * well-formed ASTs (shaped the way the parser builds them, so print → parse must give them back).
 */
import fc from 'fast-check';
import type * as ast from '../../grammar/ast.js';
import { keywords } from '../../grammar/index.js';

const span: ast.Span = { file: 'generated.mimo', offset: 0, line: 1, column: 1, endOffset: 0, endLine: 1, endColumn: 1 };

/** Pieces of mimo text, valid and not, glued in random order. */
const pieces = [
  'model', 'variant', 'grid', 'zip', 'of', 'in', 'exclude', 'import', 'assert', 'extends', 'true', 'false',
  'm', 'decoder', 'layers', 'x.y', '32', '1e-5', '32_000', '1_', '"s"', '"open', '\\', '{', '}', '(', ')', '[', ']',
  ',', ':', '.', '=', '==', '<', '<=', '+', '-', '*', '/', '%', '!', '@', '#c\n', ' ', ' ', '\n', '\r\n', '\t', '\0', '\uFFFD', 'é',
];
export const tokenSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((parts) => parts.join(''));

/** A spec text changed by a few random edits: deletions, insertions of soup, duplications. */
export function mutatedSpec(specs: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    kind: fc.constantFrom('delete', 'insert', 'duplicate'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 40 }),
    text: tokenSoup,
  });
  return fc.tuple(fc.constantFrom(...specs), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([spec, edits]) => {
    let text = spec;
    for (const e of edits) {
      const at = Math.floor(e.at * text.length);
      if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
      else if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
      else text = text.slice(0, at) + text.slice(at, at + e.length) + text.slice(at);
    }
    return text;
  });
}

// ---- well-formed ASTs -------------------------------------------------------------------------

const name: fc.Arbitrary<string> = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((word) => !keywords.includes(word));
const identifier: fc.Arbitrary<ast.Identifier> = name.map((n) => ({ kind: 'Identifier', name: n, span }));
const path: fc.Arbitrary<ast.PathExpression> = fc.array(identifier, { minLength: 1, maxLength: 3 }).map((segments) => ({ kind: 'PathExpression', segments, span }));

const numberRaw = fc.oneof(
  fc.nat().map(String),
  fc.tuple(fc.nat({ max: 9999 }), fc.nat({ max: 9999 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.nat({ max: 99 }), fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.nat({ max: 30 })).map(([a, e, sign, b]) => `${a}${e}${sign}${b}`),
);
const numberLiteral: fc.Arbitrary<ast.NumberLiteral> = numberRaw.map((raw) => ({
  kind: 'NumberLiteral',
  value: Number(raw),
  raw,
  isInteger: !/[.eE]/.test(raw),
  span,
}));
const stringLiteral: fc.Arbitrary<ast.StringLiteral> = fc.string({ unit: 'binary', maxLength: 12 }).map((value) => ({ kind: 'StringLiteral', value, span }));
const booleanLiteral: fc.Arbitrary<ast.BooleanLiteral> = fc.boolean().map((value) => ({ kind: 'BooleanLiteral', value, span }));
const operators: readonly ast.BinaryOperator[] = ['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!='];
const level = (operator: ast.BinaryOperator): number => ('*/%'.includes(operator) ? 3 : '+-'.includes(operator) ? 2 : 1);

function parenthesize(expression: ast.Expression): ast.Expression {
  return { kind: 'ParenthesizedExpression', expression, span };
}

/** Wraps operands in parentheses where the text would otherwise parse to another tree. */
function binary(operator: ast.BinaryOperator, left: ast.Expression, right: ast.Expression): ast.BinaryExpression {
  const l = left.kind === 'BinaryExpression' && (level(left.operator) < level(operator) || (level(operator) === 1 && level(left.operator) === 1)) ? parenthesize(left) : left;
  const r = right.kind === 'BinaryExpression' && level(right.operator) <= level(operator) ? parenthesize(right) : right;
  return { kind: 'BinaryExpression', operator, left: l, right: r, span };
}

export const expression: fc.Arbitrary<ast.Expression> = fc.letrec<{ expression: ast.Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLiteral,
    stringLiteral,
    booleanLiteral,
    path,
    fc.array(tie('expression'), { maxLength: 3 }).map((items): ast.Expression => ({ kind: 'ListExpression', items, span })),
    fc
      .tuple(path, fc.array(fc.tuple(fc.option(identifier, { nil: undefined }), tie('expression')), { maxLength: 3 }))
      .map(([callee, args]): ast.Expression => ({
        kind: 'CallExpression',
        callee,
        args: args.map(([argName, value]) => ({ kind: 'Argument', name: argName, value, span })),
        span,
      })),
    fc.tuple(fc.constantFrom(...operators), tie('expression'), tie('expression')).map(([operator, left, right]) => binary(operator, left, right)),
    tie('expression').map((operand): ast.Expression => ({
      kind: 'UnaryExpression',
      operator: '-',
      operand: operand.kind === 'BinaryExpression' ? parenthesize(operand) : operand,
      span,
    })),
    tie('expression').map(parenthesize),
  ),
})).expression;

const block: fc.Arbitrary<ast.Block> = fc.letrec<{ block: ast.Block; entry: ast.Entry }>((tie) => ({
  block: fc.array(tie('entry'), { maxLength: 4 }).map((entries) => ({ kind: 'Block', entries, span })),
  entry: fc
    .tuple(identifier, fc.option(expression, { nil: undefined }), fc.option(tie('block'), { nil: undefined, depthSize: 'small' }))
    .filter(([, value, body]) => value !== undefined || body !== undefined)
    .map(([key, value, body]) => ({ kind: 'Entry', key, value, block: body, span })),
})).block;

const assignment: fc.Arbitrary<ast.Assignment> = fc.tuple(path, expression).map(([p, value]) => ({ kind: 'Assignment', path: p, value, span }));

const declaration: fc.Arbitrary<ast.Declaration> = fc.oneof(
  stringLiteral.map((p): ast.Declaration => ({ kind: 'ImportDeclaration', path: p, span })),
  fc.tuple(identifier, fc.option(identifier, { nil: undefined }), block).map(([n, base, body]): ast.Declaration => ({ kind: 'ModelDeclaration', name: n, extends: base, body, span })),
  fc.tuple(identifier, identifier, fc.array(assignment, { maxLength: 3 })).map(([n, base, assignments]): ast.Declaration => ({ kind: 'VariantDeclaration', name: n, base, assignments, span })),
  fc
    .tuple(
      fc.constantFrom<'grid' | 'zip'>('grid', 'zip'),
      identifier,
      identifier,
      fc.array(fc.tuple(path, fc.array(expression, { maxLength: 3 })), { maxLength: 3 }),
      fc.array(fc.array(assignment, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
    )
    .map(([mode, n, base, axes, excludes]): ast.Declaration => ({
      kind: 'SweepDeclaration',
      mode,
      name: n,
      base,
      axes: axes.map(([p, items]) => ({ kind: 'SweepAxis', path: p, values: { kind: 'ListExpression', items, span }, span })),
      excludes: excludes.map((conditions) => ({ kind: 'ExcludeClause', conditions, span })),
      span,
    })),
  fc.tuple(expression, fc.option(stringLiteral, { nil: undefined })).map(([condition, message]): ast.Declaration => ({ kind: 'AssertDeclaration', condition, message, span })),
);

export const sourceFile: fc.Arbitrary<ast.SourceFile> = fc.array(declaration, { maxLength: 5 }).map((declarations) => ({
  kind: 'SourceFile',
  path: 'generated.mimo',
  text: '',
  declarations,
  comments: [],
  span,
}));

/**
 * Arithmetic trees built without regard to how text would parse (no parentheses added), so the
 * printer must add the parentheses that keep their meaning.
 */
export const arithmetic: fc.Arbitrary<ast.Expression> = fc.letrec<{ expression: ast.Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat({ max: 20 }).map((n): ast.Expression => ({ kind: 'NumberLiteral', value: n, raw: String(n), isInteger: true, span })),
    fc
      .tuple(fc.constantFrom<ast.BinaryOperator>('+', '-', '*', '/', '%'), tie('expression'), tie('expression'))
      .map(([operator, left, right]): ast.Expression => ({ kind: 'BinaryExpression', operator, left, right, span })),
    tie('expression').map((operand): ast.Expression => ({ kind: 'UnaryExpression', operator: '-', operand, span })),
  ),
})).expression;

/** The value of an arithmetic tree, with JavaScript's number semantics. */
export function evaluate(e: ast.Expression): number {
  switch (e.kind) {
    case 'NumberLiteral':
      return e.value;
    case 'UnaryExpression':
      return -evaluate(e.operand);
    case 'ParenthesizedExpression':
      return evaluate(e.expression);
    case 'BinaryExpression': {
      const a = evaluate(e.left);
      const b = evaluate(e.right);
      if (e.operator === '+') return a + b;
      if (e.operator === '-') return a - b;
      if (e.operator === '*') return a * b;
      if (e.operator === '/') return a / b;
      return a % b;
    }
    default:
      throw new Error(`not arithmetic: ${e.kind}`);
  }
}
