import type { BinaryOperator } from './ast.js';

/**
 * Binding strength of the binary operators: `* / %` over `+ -` over comparisons. The AST builder
 * combines operands with it and the printer decides parentheses with it, so the two always agree.
 */
export const operatorPrecedence: Readonly<Record<BinaryOperator, number>> = {
  '<': 1,
  '<=': 1,
  '>': 1,
  '>=': 1,
  '==': 1,
  '!=': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '%': 3,
};
