/** Shared helpers for the grammar tests: rendering diagnostics as golden text, comparing ASTs without spans. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Span } from '../../compiler/diagnostics/types.js';

export const repoRoot = join(import.meta.dirname, '..', '..');

function range(span: Span | undefined): string {
  return span === undefined ? '-' : `${span.line}:${span.column}-${span.endLine}:${span.endColumn}`;
}

/** `MIMO1003 error 3:14-3:15 expected a value after \`layers\``, then indented related spans, help and fix. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`${d.code} ${d.severity} ${range(d.span)} ${d.message}`);
    for (const related of d.related) lines.push(`  related ${range(related.span)} ${related.message}`);
    if (d.help !== undefined) lines.push(`  help: ${d.help}`);
    if (d.fix !== undefined) lines.push(`  fix ${range(d.fix.span)} ${JSON.stringify(d.fix.replacement)}: ${d.fix.description}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** A copy of an AST with every `span` removed (and the file's path and text), for structural comparison. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'span' || key === 'text' && (value as { kind?: string }).kind === 'SourceFile' || key === 'path' && (value as { kind?: string }).kind === 'SourceFile') continue;
    out[key] = withoutSpans(inner);
  }
  return out;
}

/** Every `.mimo` file under `specs/` (read at test time, so new specs are covered without editing tests). */
export function specFiles(): string[] {
  const dir = join(repoRoot, 'specs');
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.mimo')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

export const updateGolden = process.env['UPDATE_GOLDEN'] === '1';
