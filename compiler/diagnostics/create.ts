import type { CatalogEntry } from './catalog/entry.js';
import type { Diagnostic, Fix, RelatedSpan, Span } from './types.js';

export interface DiagnosticDetails {
  readonly related?: readonly RelatedSpan[];
  readonly help?: string;
  readonly fix?: Fix;
}

/** Fills a catalog entry's `{name}` holes. A hole without a value is a programming error. */
export function formatTemplate(template: string, args: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = args[name];
    if (value === undefined) throw new Error(`diagnostic template hole {${name}} has no value`);
    return String(value);
  });
}

/** The one way to make a diagnostic: from a catalog entry, its template arguments and a span. */
export function createDiagnostic(
  entry: CatalogEntry,
  span: Span | undefined,
  args: Readonly<Record<string, string | number>> = {},
  details: DiagnosticDetails = {},
): Diagnostic {
  return {
    code: entry.code,
    severity: entry.severity,
    message: formatTemplate(entry.template, args),
    span,
    related: details.related ?? [],
    help: details.help,
    fix: details.fix,
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
