/**
 * User asserts: `assert llava_avlm.params < 8e9 "fits the 7B class"`. Paths start with a model
 * name (optionally followed by one of its variants: `llava_avlm.small.params`), then name an
 * analysis (`params`, `params.trainable`, `params.frozen`, `tokens.SENSE`, `sequence_length`,
 * `flops`, ...) or a setting (`decoder.layers`, `vision.input.frames`). Integers are compared
 * exactly (BigInt). A failing assert shows both sides' values next to the assert's message; an
 * assert about a model that has errors is not evaluated (a note says so).
 */
import type { AssertDeclaration, Expression, PathExpression } from '../../../grammar/ast.js';
import { analysisPaths, groupDigits, lookupAnalysisPath } from '../../analyze/index.js';
import type { ModelAnalysis } from '../../analyze/types.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import type { Diagnostic, Span } from '../../diagnostics/types.js';
import { suggest } from '../../diagnostics/suggest.js';
import type { CheckedModel } from '../../model/types.js';
import { settingValues, type SettingValue } from '../values.js';
import { applyArithmetic } from '../../resolve/arithmetic.js';

export interface AssertTarget {
  readonly id: string;
  /** Undefined when the model did not check clean. */
  readonly checked: CheckedModel | undefined;
}

export interface AssertContext {
  readonly asserts: readonly AssertDeclaration[];
  readonly modelNames: readonly string[];
  readonly variantNames: ReadonlyMap<string, readonly string[]>;
  /** Models and variants by id. */
  readonly targets: ReadonlyMap<string, AssertTarget>;
  /** Source texts by file, to quote expressions in messages. */
  readonly sources: ReadonlyMap<string, string>;
  analyze(model: CheckedModel): ModelAnalysis;
  report(diagnostic: Diagnostic): void;
}

type Value =
  | { readonly kind: 'number'; readonly value: bigint | number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean };

/** Thrown to abandon one assert with a diagnostic. */
class Abandon {
  constructor(readonly diagnostic: Diagnostic) {}
}

const comparisons = new Set(['<', '<=', '>', '>=', '==', '!=']);

export function UserAssertRule(context: AssertContext): void {
  for (const declaration of context.asserts) {
    try {
      const condition = unwrap(declaration.condition);
      if (condition.kind !== 'BinaryExpression' || !comparisons.has(condition.operator)) {
        const value = evaluate(declaration.condition, context);
        if (value.kind === 'boolean') {
          if (!value.value) fail(context, declaration, `${quote(context, declaration.condition)} is false`);
          continue;
        }
        throw invalid(declaration.condition.span, 'an assertion must be a comparison', 'compare two values, e.g. `assert m.params < 8e9`');
      }
      const left = evaluate(condition.left, context);
      const right = evaluate(condition.right, context);
      if (!compare(condition.operator, left, right, condition.span)) {
        const detail = `${side(context, condition.left, left)} ${negation(condition.operator)} ${side(context, condition.right, right)}`;
        fail(context, declaration, detail);
      }
    } catch (error) {
      if (error instanceof Abandon) context.report(error.diagnostic);
      else throw error;
    }
  }
}

function fail(context: AssertContext, declaration: AssertDeclaration, detail: string): void {
  const message = declaration.message?.value;
  context.report(
    createDiagnostic(checkDiagnostics.assertFailed, declaration.span, { detail: message === undefined ? detail : `${detail} (${message})` }, {
      help: 'change the spec so the assertion holds, or update the assertion if the expectation changed',
    }),
  );
}

/** How a failed comparison reads: `x = 40 is not 32`, `y = 7,062,... is not < 7,000,...`. */
function negation(operator: string): string {
  if (operator === '==') return 'is not';
  if (operator === '!=') return 'is equal to';
  return `is not ${operator}`;
}

function unwrap(expression: Expression): Expression {
  return expression.kind === 'ParenthesizedExpression' ? unwrap(expression.expression) : expression;
}

function invalid(span: Span, reason: string, help: string): Abandon {
  return new Abandon(createDiagnostic(checkDiagnostics.assertInvalid, span, { reason }, { help }));
}

function evaluate(expression: Expression, context: AssertContext): Value {
  switch (expression.kind) {
    case 'NumberLiteral':
      return { kind: 'number', value: literalNumber(expression.raw, expression.value) };
    case 'StringLiteral':
      return { kind: 'string', value: expression.value };
    case 'BooleanLiteral':
      return { kind: 'boolean', value: expression.value };
    case 'ParenthesizedExpression':
      return evaluate(expression.expression, context);
    case 'PathExpression':
      return lookup(expression, context);
    case 'UnaryExpression': {
      const operand = evaluate(expression.operand, context);
      if (operand.kind !== 'number') throw invalid(expression.span, 'only numbers can be negated', 'negate a number');
      return { kind: 'number', value: -operand.value };
    }
    case 'BinaryExpression': {
      if (comparisons.has(expression.operator)) {
        return { kind: 'boolean', value: compare(expression.operator, evaluate(expression.left, context), evaluate(expression.right, context), expression.span) };
      }
      const left = evaluate(expression.left, context);
      const right = evaluate(expression.right, context);
      if (left.kind !== 'number' || right.kind !== 'number') throw invalid(expression.span, `\`${expression.operator}\` needs numbers on both sides`, 'do arithmetic on numbers only');
      return { kind: 'number', value: arithmetic(expression.operator as '+' | '-' | '*' | '/' | '%', left.value, right.value, expression.span) };
    }
    case 'ListExpression':
    case 'CallExpression':
      throw invalid(expression.span, 'lists and calls have no value in an assertion', 'compare numbers, strings or booleans');
  }
}

/** Exact integers as BigInt (`8e9` included); other numbers as doubles. */
function literalNumber(raw: string, value: number): bigint | number {
  if (/^-?\d+$/.test(raw)) return BigInt(raw);
  return Number.isSafeInteger(value) ? BigInt(value) : value;
}

function toNumber(value: bigint | number): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', a: bigint | number, b: bigint | number, span: Span): bigint | number {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((operator === '/' || operator === '%') && b === 0n) throw invalid(span, 'division by zero', 'divide by a non-zero number');
    switch (operator) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '%':
        return a % b;
      case '/':
        // Exact quotients stay exact; others become doubles (1 / 3 is not 0).
        return a % b === 0n ? a / b : Number(a) / Number(b);
    }
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if ((operator === '/' || operator === '%') && y === 0) throw invalid(span, 'division by zero', 'divide by a non-zero number');
  return applyArithmetic(operator, x, y);
}

function compare(operator: string, left: Value, right: Value, span: Span): boolean {
  if (left.kind !== right.kind) {
    throw invalid(span, `cannot compare ${left.kind === 'number' ? 'a number' : `a ${left.kind}`} with ${right.kind === 'number' ? 'a number' : `a ${right.kind}`}`, 'compare values of the same kind');
  }
  if (left.kind !== 'number') {
    if (operator !== '==' && operator !== '!=') throw invalid(span, `\`${operator}\` needs numbers`, 'strings and booleans can only be compared with `==` and `!=`');
    const equal = left.value === right.value;
    return operator === '==' ? equal : !equal;
  }
  const a = left.value;
  const b = (right as { value: bigint | number }).value;
  // `<` and `>` compare a BigInt and a double exactly.
  const order = a < b ? -1 : a > b ? 1 : 0;
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '==':
      return order === 0;
    default:
      return order !== 0;
  }
}

function lookup(path: PathExpression, context: AssertContext): Value {
  const names = path.segments.map((s) => s.name);
  const text = names.join('.');
  const [modelName, ...afterModel] = names;
  if (!context.modelNames.includes(modelName)) {
    const guess = suggest(modelName, context.modelNames);
    throw new Abandon(
      createDiagnostic(checkDiagnostics.assertUnknownPath, path.segments[0].span, { path: text, reason: `there is no model \`${modelName}\`` }, {
        help: (guess !== undefined ? `did you mean \`${guess}\`? ` : '') + 'an assertion path starts with a model name: `assert MODEL.params < 8e9`',
        fix: guess !== undefined ? { description: `use \`${guess}\``, span: path.segments[0].span, replacement: guess } : undefined,
      }),
    );
  }
  let id = modelName;
  let rest = afterModel;
  const variants = context.variantNames.get(modelName) ?? [];
  if (rest.length > 1 && variants.includes(rest[0])) {
    id = `${modelName}/${rest[0]}`;
    rest = rest.slice(1);
  }
  if (rest.length === 0) {
    throw invalid(path.span, `\`${text}\` is a model, not a value`, `read one of its values, e.g. \`${text}.params\` or \`${text}.tokens.SENSE\``);
  }
  const target = context.targets.get(id);
  if (target?.checked === undefined) {
    throw new Abandon(createDiagnostic(checkDiagnostics.assertSkipped, path.span, { model: id }, { help: 'fix the errors reported for that model first' }));
  }
  const analysis = context.analyze(target.checked);
  const analysed = lookupAnalysisPath(analysis, rest);
  if (analysed !== undefined) return { kind: 'number', value: typeof analysed === 'number' && Number.isSafeInteger(analysed) ? BigInt(analysed) : analysed };
  const settings = settingValues(target.checked);
  const setting: SettingValue | undefined = settings.get(rest.join('.'));
  if (setting !== undefined) {
    if (typeof setting === 'number') return { kind: 'number', value: Number.isSafeInteger(setting) ? BigInt(setting) : setting };
    return typeof setting === 'string' ? { kind: 'string', value: setting } : { kind: 'boolean', value: setting };
  }
  const known = [...new Set([...analysisPaths(analysis), ...settings.keys()])];
  const guess = suggest(rest.join('.'), known);
  const prefix = `${id === modelName ? modelName : `${modelName}.${id.split('/')[1]}`}.`;
  throw new Abandon(
    createDiagnostic(checkDiagnostics.assertUnknownPath, path.span, { path: text, reason: `\`${id}\` has no value \`${rest.join('.')}\`` }, {
      help:
        (guess !== undefined ? `did you mean \`${prefix}${guess}\`? ` : '') +
        'values: params, params.trainable, params.frozen, tokens.SENSE, sequence_length, flops, and settings such as decoder.layers',
      fix: guess !== undefined ? { description: `use \`${prefix}${guess}\``, span: path.span, replacement: `${prefix}${guess}` } : undefined,
    }),
  );
}

function format(value: Value): string {
  switch (value.kind) {
    case 'number':
      return typeof value.value === 'bigint' || Number.isInteger(value.value) ? groupDigits(value.value) : String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'boolean':
      return String(value.value);
  }
}

/** `llava_avlm.params = 7,061,...` for computed sides, just the value for literals. */
function side(context: AssertContext, expression: Expression, value: Value): string {
  const inner = unwrap(expression);
  if (inner.kind === 'NumberLiteral' || inner.kind === 'StringLiteral' || inner.kind === 'BooleanLiteral') return format(value);
  return `${quote(context, expression)} = ${format(value)}`;
}

function quote(context: AssertContext, expression: Expression): string {
  if (expression.kind === 'PathExpression') return expression.segments.map((s) => s.name).join('.');
  const text = context.sources.get(expression.span.file);
  return text === undefined ? '(expression)' : text.slice(expression.span.offset, expression.span.endOffset);
}
