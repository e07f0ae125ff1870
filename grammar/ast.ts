/**
 * The abstract syntax tree of a `.mimo` file. Every node carries the span it was parsed from.
 * The tree is generic below the declaration level: a block is a list of entries (`key value? block?`),
 * so the grammar stays small and the meaning of each key lives in the checker's schema.
 */
import type { Span } from '../compiler/diagnostics/types.js';

export type { Span };

export interface Comment {
  readonly kind: 'Comment';
  /** Text after the `#`, without the line break. */
  readonly text: string;
  readonly span: Span;
}

export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly span: Span;
}

// ---- expressions ----------------------------------------------------------------------------

export interface NumberLiteral {
  readonly kind: 'NumberLiteral';
  /** The value as a double. Exact integers above 2^53 are recovered from `raw`. */
  readonly value: number;
  /** Source text without `_` separators, e.g. `32000`, `1e-5`, `8e9`. */
  readonly raw: string;
  /** True when the literal has no `.` and no exponent. */
  readonly isInteger: boolean;
  readonly span: Span;
}

export interface StringLiteral {
  readonly kind: 'StringLiteral';
  /** The decoded value (escapes resolved). */
  readonly value: string;
  readonly span: Span;
}

export interface BooleanLiteral {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
  readonly span: Span;
}

export interface ListExpression {
  readonly kind: 'ListExpression';
  readonly items: readonly Expression[];
  readonly span: Span;
}

/** A dotted reference: `gelu`, `decoder.hidden`, `llava_avlm.params`. */
export interface PathExpression {
  readonly kind: 'PathExpression';
  readonly segments: readonly Identifier[];
  readonly span: Span;
}

export interface Argument {
  readonly kind: 'Argument';
  /** Present for named arguments (`eps: 1e-5`). */
  readonly name: Identifier | undefined;
  readonly value: Expression;
  readonly span: Span;
}

/** `rmsnorm(eps: 1e-5)`, `clip_vit("ViT-L/14", select_layer: -2)`. */
export interface CallExpression {
  readonly kind: 'CallExpression';
  readonly callee: PathExpression;
  readonly args: readonly Argument[];
  readonly span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface BinaryExpression {
  readonly kind: 'BinaryExpression';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

export interface UnaryExpression {
  readonly kind: 'UnaryExpression';
  readonly operator: '-';
  readonly operand: Expression;
  readonly span: Span;
}

/** `( expr )`, kept so the formatter can print what the user wrote. */
export interface ParenthesizedExpression {
  readonly kind: 'ParenthesizedExpression';
  readonly expression: Expression;
  readonly span: Span;
}

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | ListExpression
  | PathExpression
  | CallExpression
  | BinaryExpression
  | UnaryExpression
  | ParenthesizedExpression;

// ---- blocks ---------------------------------------------------------------------------------

/**
 * One line of a block: `layers 32`, `norm rmsnorm(eps: 1e-5)`, `decoder llama { ... }`,
 * `sense vision { ... }`. At least one of `value` and `block` is present.
 */
export interface Entry {
  readonly kind: 'Entry';
  readonly key: Identifier;
  readonly value: Expression | undefined;
  readonly block: Block | undefined;
  readonly span: Span;
}

export interface Block {
  readonly kind: 'Block';
  readonly entries: readonly Entry[];
  /** Span from `{` to `}` inclusive. */
  readonly span: Span;
}

// ---- declarations ---------------------------------------------------------------------------

/** `import "common.mimo"` */
export interface ImportDeclaration {
  readonly kind: 'ImportDeclaration';
  readonly path: StringLiteral;
  readonly span: Span;
}

/** `model llava_avlm extends base { ... }` */
export interface ModelDeclaration {
  readonly kind: 'ModelDeclaration';
  readonly name: Identifier;
  readonly extends: Identifier | undefined;
  readonly body: Block;
  readonly span: Span;
}

/** `decoder.layers = 12` inside a variant or an `exclude` block. */
export interface Assignment {
  readonly kind: 'Assignment';
  readonly path: PathExpression;
  readonly value: Expression;
  readonly span: Span;
}

/** `variant small of llava_avlm { decoder.layers = 12 }` */
export interface VariantDeclaration {
  readonly kind: 'VariantDeclaration';
  readonly name: Identifier;
  readonly base: Identifier;
  readonly assignments: readonly Assignment[];
  readonly span: Span;
}

/** `vision.input.frames in [4, 8, 16]` */
export interface SweepAxis {
  readonly kind: 'SweepAxis';
  readonly path: PathExpression;
  readonly values: ListExpression;
  readonly span: Span;
}

/** `exclude { vision.input.frames = 16, decoder.layers = 32 }`: points matching every assignment are dropped. */
export interface ExcludeClause {
  readonly kind: 'ExcludeClause';
  readonly conditions: readonly Assignment[];
  readonly span: Span;
}

/** `grid` takes the cartesian product of its axes; `zip` pairs them position by position. */
export interface SweepDeclaration {
  readonly kind: 'SweepDeclaration';
  readonly mode: 'grid' | 'zip';
  readonly name: Identifier;
  readonly base: Identifier;
  readonly axes: readonly SweepAxis[];
  readonly excludes: readonly ExcludeClause[];
  readonly span: Span;
}

/** `assert llava_avlm.params < 8e9 "fits one GPU"` */
export interface AssertDeclaration {
  readonly kind: 'AssertDeclaration';
  readonly condition: Expression;
  readonly message: StringLiteral | undefined;
  readonly span: Span;
}

export type Declaration =
  | ImportDeclaration
  | ModelDeclaration
  | VariantDeclaration
  | SweepDeclaration
  | AssertDeclaration;

export interface SourceFile {
  readonly kind: 'SourceFile';
  /** Path as given (used in spans). */
  readonly path: string;
  /** The decoded text (BOM removed; line ends as in the file). */
  readonly text: string;
  readonly declarations: readonly Declaration[];
  /** Every comment in source order; the formatter re-attaches them by position. */
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export type Node =
  | SourceFile
  | Declaration
  | Assignment
  | SweepAxis
  | ExcludeClause
  | Block
  | Entry
  | Argument
  | Expression
  | Identifier
  | Comment;
