/**
 * Collects diagnostics for a run: drops exact repeats (the same problem seen again in a variant
 * or sweep point that inherits it) and stops accepting errors after a limit, ending with a note.
 */
import { createDiagnostic } from '../diagnostics/create.js';
import { checkDiagnostics } from '../diagnostics/catalog/check.js';
import type { Diagnostic } from '../diagnostics/types.js';

export const MAX_ERRORS = 100;

export class DiagnosticSink {
  private readonly kept: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private errors = 0;
  private dropped = false;

  constructor(private readonly maxErrors: number = MAX_ERRORS) {}

  /** True once the error limit is reached: callers stop doing work that only finds more errors. */
  get full(): boolean {
    return this.errors >= this.maxErrors;
  }

  get errorCount(): number {
    return this.errors;
  }

  /** Adds a diagnostic; returns whether it was new (not a repeat, not over the limit). */
  add(diagnostic: Diagnostic): boolean {
    const s = diagnostic.span;
    const key = `${diagnostic.code}\u0000${s?.file ?? ''}\u0000${s?.offset ?? -1}\u0000${s?.endOffset ?? -1}\u0000${diagnostic.message}`;
    if (this.seen.has(key)) return false;
    if (diagnostic.severity === 'error' && this.full) {
      this.dropped = true;
      return false;
    }
    this.seen.add(key);
    this.kept.push(diagnostic);
    if (diagnostic.severity === 'error') this.errors++;
    return true;
  }

  addAll(diagnostics: Iterable<Diagnostic>): void {
    for (const d of diagnostics) this.add(d);
  }

  /** Everything kept, in order, plus a note when errors were dropped. */
  diagnostics(): Diagnostic[] {
    if (!this.dropped) return [...this.kept];
    const lastError = [...this.kept].reverse().find((d) => d.severity === 'error');
    return [
      ...this.kept,
      createDiagnostic(checkDiagnostics.tooManyErrors, lastError?.span, { max: this.maxErrors }, { help: 'fix these and run again to see the rest' }),
    ];
  }
}
