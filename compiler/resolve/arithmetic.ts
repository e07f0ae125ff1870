export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** The language's arithmetic on doubles; callers report division by zero where they know the span. */
export function applyArithmetic(operator: ArithmeticOperator, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
  }
}
