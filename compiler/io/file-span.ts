import type { Span } from '../diagnostics/types.js';

/** The span a diagnostic about a whole file points at: its first position (1:1). */
export function fileStartSpan(file: string): Span {
  return { file, offset: 0, line: 1, column: 1, endOffset: 0, endLine: 1, endColumn: 1 };
}
