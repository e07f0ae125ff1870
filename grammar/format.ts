/**
 * `mimo fmt` on text: parse, and print the canonical layout only when the text has no syntax
 * errors (a formatter must never guess at broken code).
 */
import { hasErrors } from '../compiler/diagnostics/create.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { parseSource } from './parse.js';
import { formatSourceFile } from './printer.js';

export interface FormatResult {
  /** The formatted text; undefined when the input has syntax errors. */
  readonly output: string | undefined;
  readonly diagnostics: Diagnostic[];
}

export function formatText(text: string, path: string): FormatResult {
  const parsed = parseSource(text, path);
  if (hasErrors(parsed.diagnostics)) return { output: undefined, diagnostics: parsed.diagnostics };
  return { output: formatSourceFile(parsed.file), diagnostics: parsed.diagnostics };
}
