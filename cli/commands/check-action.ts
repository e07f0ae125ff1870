/** What `mimo check` does once its arguments are parsed (see check.ts for the command). */
// The front end check runs: read, parse, resolve, check. Swap this line to run another front end.
import { runPipeline as analyze } from '../../compiler/pipeline.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, resolveRoot, writeDiagnostics, writeRunError } from '../report.js';
import type { CheckOptions } from './check.js';

export async function check(files: readonly string[], options: CheckOptions, ctx: CliContext): Promise<number> {
  const root = await resolveRoot(ctx, options.root);
  if ('diagnostic' in root) {
    writeRunError(ctx, root.diagnostic);
    return ExitCode.usage;
  }
  const result = await analyze(files, { root: root.root, cwd: ctx.cwd, overrides: options.set });
  writeDiagnostics(ctx, ctx.stdout, options.format, result.diagnostics, result.sources, root.root);
  if (options.format === 'pretty' && result.diagnostics.length === 0) {
    ctx.stdout.write(`${files.length} ${files.length === 1 ? 'file' : 'files'} checked: no problems found\n`);
  }
  return exitCodeFor(result.diagnostics);
}
