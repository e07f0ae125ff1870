import type { Severity } from '../types.js';

/**
 * One catalog entry: a stable code, its default severity, a short kebab-case id (for rule metadata
 * in SARIF and for users who want to look it up), a message template with `{name}` holes, and a
 * one-line description of the rule for documentation and SARIF `shortDescription`.
 */
export interface CatalogEntry {
  readonly code: string;
  readonly id: string;
  readonly severity: Severity;
  readonly template: string;
  readonly description: string;
}

export function entry(code: string, id: string, severity: Severity, template: string, description: string): CatalogEntry {
  return { code, id, severity, template, description };
}
