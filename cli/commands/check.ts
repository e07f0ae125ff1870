/**
 * `mimo check <files...>`: reads, parses and checks spec files and prints every diagnostic.
 * Exit 0 when there are no errors (warnings allowed), 1 when the specs have errors, 2 when a file
 * cannot be read or the root is not a directory.
 */
// The front end check runs: read, parse, resolve, check. Swap this line to run another front end.
import { runPipeline as analyze } from '../../compiler/pipeline.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, formatOption, resolveRoot, rootOption, writeDiagnostics, writeRunError, type DiagnosticFormat } from '../report.js';
import type { CommandModule } from './index.js';

interface CheckOptions {
  readonly format: DiagnosticFormat;
  readonly root?: string;
}

export const checkCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('check')
      .description('check spec files and report every problem')
      .argument('<files...>', '.mimo files to check')
      .addOption(formatOption())
      .addOption(rootOption())
      .action((files: string[], options: CheckOptions) => run(() => check(files, options, ctx)));
  },
};

async function check(files: readonly string[], options: CheckOptions, ctx: CliContext): Promise<number> {
  const root = await resolveRoot(ctx, options.root);
  if ('diagnostic' in root) {
    writeRunError(ctx, root.diagnostic);
    return ExitCode.usage;
  }
  const result = await analyze(files, { root: root.root, cwd: ctx.cwd });
  writeDiagnostics(ctx, ctx.stdout, options.format, result.diagnostics, result.sources, root.root);
  if (options.format === 'pretty' && result.diagnostics.length === 0) {
    ctx.stdout.write(`${files.length} ${files.length === 1 ? 'file' : 'files'} checked: no problems found\n`);
  }
  return exitCodeFor(result.diagnostics);
}
