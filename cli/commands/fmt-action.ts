/** What `mimo fmt` does once its arguments are parsed (see fmt.ts for the command). */
import type { Diagnostic } from '../../compiler/diagnostics/types.js';
import { readSourceFile, writeFileAtomic } from '../../compiler/io/index.js';
import { decodeSource, formatText } from '../../grammar/index.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, writeDiagnostics } from '../report.js';
import type { FmtOptions } from './fmt.js';

/** How a path given as `-` is named in messages. */
const stdinName = '<stdin>';

type Outcome = 'unchanged' | 'changed' | 'failed';

export async function fmt(files: readonly string[], options: FmtOptions, ctx: CliContext): Promise<number> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  let changed = false;
  for (const file of files) {
    const outcome = file === '-' ? await formatStdin(ctx, options, diagnostics, sources) : await formatFile(file, ctx, options, diagnostics, sources);
    if (outcome === 'changed') changed = true;
  }
  writeDiagnostics(ctx, ctx.stderr, 'pretty', diagnostics, sources, ctx.cwd);
  const code = exitCodeFor(diagnostics);
  if (code !== ExitCode.ok) return code;
  return options.check === true && changed ? ExitCode.specErrors : ExitCode.ok;
}

/** Decodes and formats one text; undefined (with diagnostics recorded) when it has errors. */
function formatted(bytes: Uint8Array, path: string, diagnostics: Diagnostic[], sources: Map<string, string>): { before: string; after: string } | undefined {
  const decoded = decodeSource(bytes, path);
  sources.set(path, decoded.text);
  diagnostics.push(...decoded.diagnostics);
  if (decoded.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const result = formatText(decoded.text, path);
  diagnostics.push(...result.diagnostics);
  if (result.output === undefined || result.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return { before: decoded.text, after: result.output };
}

async function formatFile(file: string, ctx: CliContext, options: FmtOptions, diagnostics: Diagnostic[], sources: Map<string, string>): Promise<Outcome> {
  const read = await readSourceFile(file, { cwd: ctx.cwd });
  if (!read.ok) {
    diagnostics.push(read.diagnostic);
    return 'failed';
  }
  const text = formatted(read.bytes, file, diagnostics, sources);
  if (text === undefined) return 'failed';
  // Compare bytes, not decoded text: a byte order mark that formatting drops is a change too.
  const output = new TextEncoder().encode(text.after);
  if (sameBytes(read.bytes, output)) return 'unchanged';
  if (options.check !== true) {
    const failure = await writeFileAtomic(file, output, { cwd: ctx.cwd });
    if (failure !== undefined) {
      diagnostics.push(failure);
      return 'failed';
    }
  }
  ctx.stdout.write(`${file}\n`);
  return 'changed';
}

async function formatStdin(ctx: CliContext, options: FmtOptions, diagnostics: Diagnostic[], sources: Map<string, string>): Promise<Outcome> {
  const bytes = await ctx.stdin.readAll();
  const text = formatted(bytes, stdinName, diagnostics, sources);
  if (text === undefined) return 'failed';
  const changed = !sameBytes(bytes, new TextEncoder().encode(text.after));
  if (options.check === true) {
    if (changed) ctx.stdout.write(`${stdinName}\n`);
  } else {
    ctx.stdout.write(text.after);
  }
  return changed ? 'changed' : 'unchanged';
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
