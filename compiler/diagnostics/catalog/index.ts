/**
 * The catalog of every diagnostic mimo can report. Codes are stable; ranges partition the phases:
 *   MIMO0xxx  input and output (files, usage)        io.ts
 *   MIMO1xxx  syntax (lexer, parser, source decoding) syntax.ts
 *   MIMO2xxx  resolution (imports, presets, variants) resolve.ts
 *   MIMO3xxx  semantic checks (widths, tokens, ...)   check.ts
 *   MIMO4xxx  lowering, plans and code generation     lower.ts
 * Code creates diagnostics from these entries (see `../create.ts`), never from ad-hoc strings.
 */
import type { CatalogEntry } from './entry.js';
import { ioDiagnostics } from './io.js';
import { syntaxDiagnostics } from './syntax.js';
import { resolveDiagnostics } from './resolve.js';
import { checkDiagnostics } from './check.js';
import { lowerDiagnostics } from './lower.js';

export type { CatalogEntry } from './entry.js';
export { ioDiagnostics, syntaxDiagnostics, resolveDiagnostics, checkDiagnostics, lowerDiagnostics };

export const allCatalogEntries: readonly CatalogEntry[] = [
  ...Object.values(ioDiagnostics),
  ...Object.values(syntaxDiagnostics),
  ...Object.values(resolveDiagnostics),
  ...Object.values(checkDiagnostics),
  ...Object.values(lowerDiagnostics),
];
