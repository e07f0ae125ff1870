import { entry } from './entry.js';

/** MIMO1xxx: decoding the bytes of a file, the lexer and the parser. */
export const syntaxDiagnostics = {
  unexpectedCharacter: entry('MIMO1001', 'unexpected-character', 'error', 'unexpected {characters}', 'The lexer found a character that starts no token.'),
  unterminatedString: entry('MIMO1002', 'unterminated-string', 'error', 'unterminated string', 'A string has no closing `"` before the end of its line.'),
  expectedValue: entry('MIMO1003', 'expected-value', 'error', 'expected a value after `{after}`', 'An entry, assignment, argument or operator is missing its value.'),
  expectedToken: entry('MIMO1004', 'expected-token', 'error', 'expected {expected} after `{after}`, found {found}', 'The parser needed a particular token and found another.'),
  unexpectedToken: entry('MIMO1005', 'unexpected-token', 'error', 'unexpected {found}', 'A token that cannot appear at this place.'),
  unclosedDelimiter: entry('MIMO1006', 'unclosed-delimiter', 'error', 'unbalanced {what}: `{open}` opened at {line}:{column} is never closed', 'An opening `{`, `(` or `[` has no matching closing one.'),
  unmatchedClosingDelimiter: entry('MIMO1007', 'unmatched-closing-delimiter', 'error', 'unexpected `{close}`', 'A closing `}`, `)` or `]` has no opening one.'),
  mismatchedDelimiter: entry('MIMO1008', 'mismatched-delimiter', 'error', '`{close}` does not match `{open}` opened at {line}:{column}', 'A closing bracket of another kind than the innermost open one.'),
  nestingTooDeep: entry('MIMO1009', 'nesting-too-deep', 'error', 'nesting too deep: more than {max} levels of brackets', 'Brackets nest deeper than the parser allows.'),
  misspelledKeyword: entry('MIMO1010', 'misspelled-keyword', 'error', 'unknown keyword `{found}`: did you mean `{suggestion}`?', 'A word close to a keyword where that keyword is expected.'),
  expectedDeclaration: entry('MIMO1011', 'expected-declaration', 'error', 'expected a declaration, found {found}', 'Top-level text that starts no declaration.'),
  invalidUtf8: entry('MIMO1012', 'invalid-utf8', 'error', 'invalid UTF-8: byte 0x{byte} {problem}', 'The file is not valid UTF-8.'),
  nulByte: entry('MIMO1013', 'nul-byte', 'error', 'NUL byte in source text', 'The file contains a zero byte.'),
  binaryFile: entry('MIMO1014', 'binary-file', 'error', '`{path}` looks like a binary file, not mimo source', 'Most of the file is control characters, NUL bytes or invalid UTF-8.'),
  unsupportedEncoding: entry('MIMO1015', 'unsupported-encoding', 'error', '`{path}` is encoded as {encoding}; mimo reads UTF-8 only', 'The file starts with a byte order mark of another encoding.'),
  invalidEscape: entry('MIMO1016', 'invalid-escape', 'error', 'invalid escape `{escape}` in string', 'A backslash sequence in a string that means nothing.'),
  malformedNumber: entry('MIMO1017', 'malformed-number', 'error', 'malformed number `{text}`', 'A number with misplaced `_`, a missing exponent or letters glued to it.'),
  numberOutOfRange: entry('MIMO1018', 'number-out-of-range', 'error', 'number `{text}` is too large', 'A number beyond the range of a double.'),
  keywordAsName: entry('MIMO1019', 'keyword-as-name', 'error', '`{keyword}` is a keyword and cannot be used as a name', 'A keyword where a field or declaration name is expected.'),
  chainedComparison: entry('MIMO1020', 'chained-comparison', 'error', 'comparisons cannot be chained: `{first}` and `{second}` in one expression', 'Two comparison operators without parentheses.'),
  expressionTooDeep: entry('MIMO1021', 'expression-too-deep', 'error', 'expression too deeply nested: more than {max} levels', 'An expression whose tree is too deep to process safely.'),
  tooManyErrors: entry('MIMO1022', 'too-many-errors', 'note', 'too many syntax errors; stopped after {max}', 'The file has so many errors that the rest are not listed.'),
} as const;
