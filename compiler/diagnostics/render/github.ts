/**
 * GitHub Actions workflow commands, one line per diagnostic, which the runner turns into
 * annotations on the pull request:
 *
 *   ::error file=specs/x.mimo,line=3,col=10,endLine=3,endColumn=15,title=MIMO1003::expected ...
 *
 * Severities map to `error`, `warning` and `notice`. The message carries the help, related places
 * and the fix on further lines (encoded as %0A). Columns are given only for spans on one line (the
 * annotation API ignores them otherwise); `endColumn` there is inclusive.
 */
import type { Diagnostic, Severity, Span } from '../types.js';
import { artifactPath, type ArtifactPathOptions } from './artifact-path.js';

export type GithubOptions = ArtifactPathOptions;

const commands: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  note: 'notice',
};

/** Escapes a command's message (the text after `::`). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`file=...`), where `:` and `,` are separators too. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(diagnostics: readonly Diagnostic[], _sources: ReadonlyMap<string, string>, options: GithubOptions): string {
  return diagnostics.map((diagnostic) => `${githubCommand(diagnostic, options)}\n`).join('');
}

function githubCommand(diagnostic: Diagnostic, options: GithubOptions): string {
  const properties: [string, string | number][] = [];
  if (diagnostic.span !== undefined) properties.push(...spanProperties(diagnostic.span, options));
  properties.push(['title', diagnostic.code]);
  const parameters = properties.map(([key, value]) => `${key}=${escapeGithubProperty(String(value))}`).join(',');
  return `::${commands[diagnostic.severity]} ${parameters}::${escapeGithubData(messageText(diagnostic, options))}`;
}

function spanProperties(span: Span, options: GithubOptions): [string, string | number][] {
  const file = artifactPath(span.file, options).path;
  if (span.endLine !== span.line) {
    return [['file', file], ['line', span.line], ['endLine', Math.max(span.line, span.endLine)]];
  }
  return [['file', file], ['line', span.line], ['col', span.column], ['endLine', span.line], ['endColumn', Math.max(span.column, span.endColumn - 1)]];
}

function messageText(diagnostic: Diagnostic, options: GithubOptions): string {
  const lines = [diagnostic.message];
  if (diagnostic.help !== undefined) lines.push(`help: ${diagnostic.help}`);
  for (const item of diagnostic.related) {
    lines.push(`note: ${item.message} (${place(item.span, options)})`);
  }
  if (diagnostic.fix !== undefined) {
    lines.push(`fix: ${diagnostic.fix.description} (replace ${place(diagnostic.fix.span, options)} with ${JSON.stringify(diagnostic.fix.replacement)})`);
  }
  return lines.join('\n');
}

function place(span: Span, options: GithubOptions): string {
  return `${artifactPath(span.file, options).path}:${span.line}:${span.column}`;
}
