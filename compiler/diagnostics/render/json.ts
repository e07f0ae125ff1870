/**
 * Machine-readable diagnostics: `{ "version": 1, "diagnostics": [...], "summary": {...} }`.
 * Absent values are `null` (never missing keys), key order is fixed, and the output ends with a
 * newline, so the same diagnostics always give the same bytes. Bump `jsonFormatVersion` on any
 * change that could break a reader.
 */
import type { Diagnostic, Span } from '../types.js';
import { countDiagnostics, type DiagnosticCounts } from './summary.js';

export const jsonFormatVersion = 1;

export interface JsonOptions {
  /** Spaces of indentation; 0 prints one line (default 2). */
  readonly indent?: number;
}

export interface JsonSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly offset: number;
  readonly endOffset: number;
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
  readonly span: JsonSpan | null;
  readonly related: readonly { readonly message: string; readonly span: JsonSpan }[];
  readonly help: string | null;
  readonly fix: { readonly description: string; readonly span: JsonSpan; readonly replacement: string } | null;
}

export interface JsonReport {
  readonly version: typeof jsonFormatVersion;
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly summary: DiagnosticCounts;
}

function jsonSpan(span: Span): JsonSpan {
  return {
    file: span.file,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
    offset: span.offset,
    endOffset: span.endOffset,
  };
}

export function toJsonReport(diagnostics: readonly Diagnostic[]): JsonReport {
  return {
    version: jsonFormatVersion,
    diagnostics: diagnostics.map((diagnostic) => ({
      code: diagnostic.code,
      severity: diagnostic.severity,
      message: diagnostic.message,
      span: diagnostic.span === undefined ? null : jsonSpan(diagnostic.span),
      related: diagnostic.related.map((item) => ({ message: item.message, span: jsonSpan(item.span) })),
      help: diagnostic.help ?? null,
      fix:
        diagnostic.fix === undefined
          ? null
          : { description: diagnostic.fix.description, span: jsonSpan(diagnostic.fix.span), replacement: diagnostic.fix.replacement },
    })),
    summary: countDiagnostics(diagnostics),
  };
}

/** `sources` is unused (the JSON carries spans, not text); it keeps every renderer's signature the same. */
export function renderJson(diagnostics: readonly Diagnostic[], _sources: ReadonlyMap<string, string>, options: JsonOptions = {}): string {
  const indent = options.indent ?? 2;
  return `${JSON.stringify(toJsonReport(diagnostics), null, indent > 0 ? indent : undefined)}\n`;
}
