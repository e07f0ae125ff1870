/**
 * Helpers every command shares: the `--format` and `--root` options, printing diagnostics in the
 * chosen format, and the exit code they imply.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../compiler/diagnostics/catalog/io.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { diagnosticFormats, renderDiagnostics, renderPretty, type DiagnosticFormat } from '../compiler/diagnostics/render/index.js';
import { ExitCode, type CliContext, type OutputStream } from './context.js';
import { mimoVersion } from './version.js';

export { diagnosticFormats, type DiagnosticFormat };

/** `--format pretty|json|sarif|github` (default pretty); commander rejects other values (exit 2). */
export function formatOption(): Option {
  return new Option('--format <format>', 'how to print diagnostics').choices(diagnosticFormats).default('pretty');
}

/** `--root <dir>`: the project root (imports stay inside it; SARIF and GitHub paths are relative to it). */
export function rootOption(): Option {
  return new Option('--root <dir>', 'project root (default: the current directory)');
}

/** The absolute project root, or a MIMO0005 diagnostic when it is not a directory. */
export async function resolveRoot(ctx: CliContext, root: string | undefined): Promise<{ root: string } | { diagnostic: Diagnostic }> {
  const absolute = resolve(ctx.cwd, root ?? '.');
  const isDirectory = await stat(absolute).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isDirectory) return { root: absolute };
  return {
    diagnostic: createDiagnostic(ioDiagnostics.rootNotDirectory, undefined, { path: root ?? '.' }, {
      help: 'pass an existing directory with --root, or leave it out to use the current directory',
    }),
  };
}

/** Prints diagnostics to `stream` in `format`; colour follows `ctx.color`. */
export function writeDiagnostics(
  ctx: CliContext,
  stream: OutputStream,
  format: DiagnosticFormat,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  root: string,
): void {
  const text = renderDiagnostics(format, diagnostics, sources, { color: ctx.color, root, cwd: ctx.cwd, toolVersion: mimoVersion() });
  if (text !== '') stream.write(text);
}

/** Prints a problem with the run itself (no format choice yet, or an internal error) to stderr. */
export function writeRunError(ctx: CliContext, diagnostic: Diagnostic): void {
  ctx.stderr.write(renderPretty([diagnostic], new Map(), { color: ctx.color, summary: false }));
}

/** True for input/output problems (MIMO0xxx), which exit 2 rather than 1. */
export function isIoDiagnostic(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'error' && diagnostic.code.startsWith('MIMO0');
}

/** 2 if a file could not be read or written, else 1 if there is any error, else 0. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): ExitCode {
  if (diagnostics.some(isIoDiagnostic)) return ExitCode.usage;
  if (diagnostics.some((d) => d.severity === 'error')) return ExitCode.specErrors;
  return ExitCode.ok;
}

/** Parses an integer option (`--runs 10`): digits only, at least `min`; else a usage error naming `what`. */
export function integerArgument(what: string, min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${what} must be an integer ≥ ${min}`);
    return n;
  };
}
