/**
 * Public entry of the diagnostics stage: the data types, the one way to create a diagnostic, the
 * catalog of every code, and the renderers.
 */
export type { Diagnostic, Fix, RelatedSpan, Severity, Span } from './types.js';
export { createDiagnostic, formatTemplate, hasErrors } from './create.js';
export type { DiagnosticDetails } from './create.js';
export {
  allCatalogEntries,
  ioDiagnostics,
  syntaxDiagnostics,
  resolveDiagnostics,
  checkDiagnostics,
  lowerDiagnostics,
} from './catalog/index.js';
export type { CatalogEntry } from './catalog/index.js';
export { editDistance, suggest } from './suggest.js';
export * from './render/index.js';
