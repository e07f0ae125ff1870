/**
 * The grammar stage's public entry: bytes or text in, an AST with spans and syntax diagnostics
 * out; and the canonical formatter. See README.md.
 */
export { decodeSource, type DecodedSource } from './source.js';
export { LineIndex, spanOf, type Position } from './line-index.js';
export { parseSource, parseFile, MAX_SYNTAX_DIAGNOSTICS, type ParseResult } from './parse.js';
export { formatSourceFile } from './printer.js';
export { formatText, type FormatResult } from './format.js';
export { keywords } from './tokens.js';
export { MAX_NESTING } from './delimiters.js';
export { MAX_EXPRESSION_DEPTH } from './ast-builder.js';
export type * from './ast.js';
