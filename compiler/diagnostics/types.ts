/**
 * Diagnostics are data: every stage reports problems as `Diagnostic` values built from the
 * catalog (`catalog.ts`), and pure renderers turn them into text, JSON, SARIF or annotations.
 */

/** A place in a source file. Offsets are UTF-16 code units into the decoded text; lines and columns are 1-based. */
export interface Span {
  /** Path as given by the user (or relative to the project root); used verbatim in messages. */
  readonly file: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly endOffset: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface RelatedSpan {
  readonly span: Span;
  readonly message: string;
}

/** A machine-applicable fix: replace the text under `span` with `replacement`. */
export interface Fix {
  readonly description: string;
  readonly span: Span;
  readonly replacement: string;
}

export interface Diagnostic {
  /** Stable code from the catalog, e.g. `MIMO1002`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Missing only for diagnostics about a whole run (a file that could not be read has a span at 1:1). */
  readonly span: Span | undefined;
  readonly related: readonly RelatedSpan[];
  readonly help: string | undefined;
  readonly fix: Fix | undefined;
}
