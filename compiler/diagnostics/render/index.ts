/**
 * Pure renderers: `(diagnostics, sources, options) => string`, where `sources` maps a span's
 * `file` to its decoded text (for snippets). Same input, same bytes.
 */
import type { Diagnostic } from '../types.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderPretty } from './pretty.js';
import { renderSarif } from './sarif.js';

export { renderPretty } from './pretty.js';
export type { PrettyOptions } from './pretty.js';
export { renderJson, toJsonReport, jsonFormatVersion } from './json.js';
export type { JsonOptions, JsonReport, JsonDiagnostic, JsonSpan } from './json.js';
export { renderSarif, toSarifLog, sarifSchemaUri, srcRootBaseId } from './sarif.js';
export type { SarifOptions } from './sarif.js';
export { renderGithub, escapeGithubData, escapeGithubProperty } from './github.js';
export type { GithubOptions } from './github.js';
export { countDiagnostics, summaryText } from './summary.js';
export type { DiagnosticCounts } from './summary.js';
export { artifactPath } from './artifact-path.js';
export type { ArtifactPathOptions } from './artifact-path.js';

/** The `--format` values the CLI accepts. */
export const diagnosticFormats = ['pretty', 'json', 'sarif', 'github'] as const;
export type DiagnosticFormat = (typeof diagnosticFormats)[number];

/** Everything any renderer needs; each takes the part it uses. */
export interface RenderOptions {
  readonly color: boolean;
  /** Project root (SARIF and GitHub paths are relative to it). */
  readonly root: string;
  /** Directory that relative span paths are relative to. */
  readonly cwd: string;
  readonly toolVersion: string;
  /** For `pretty`: end with the `2 errors, 1 warning` line (default true). */
  readonly summary?: boolean;
}

export function renderDiagnostics(
  format: DiagnosticFormat,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: RenderOptions,
): string {
  switch (format) {
    case 'pretty':
      return renderPretty(diagnostics, sources, { color: options.color, summary: options.summary });
    case 'json':
      return renderJson(diagnostics, sources);
    case 'sarif':
      return renderSarif(diagnostics, sources, { root: options.root, cwd: options.cwd, toolVersion: options.toolVersion });
    case 'github':
      return renderGithub(diagnostics, sources, { root: options.root, cwd: options.cwd });
  }
}
