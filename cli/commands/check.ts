/**
 * `mimo check <files...> [--format F] [--root DIR] [--set path=value ...]`: reads, parses and checks spec files and prints every diagnostic.
 * Exit 0 when there are no errors (warnings allowed), 1 when the specs have errors, 2 when a file
 * cannot be read or the root is not a directory.
 *
 * Only the options live here; the front end is imported when the command runs (check-action.ts),
 * so that `mimo --help` and the other commands do not pay for loading it.
 */
import { formatOption, rootOption, type DiagnosticFormat } from '../report.js';
import type { CommandModule } from './index.js';
import { setOption } from './stats.js';

export interface CheckOptions {
  readonly format: DiagnosticFormat;
  readonly root?: string;
  /** `--set path=value` overrides, applied to every model in order. */
  readonly set: readonly string[];
}

export const checkCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('check')
      .description('check spec files and report every problem')
      .argument('<files...>', '.mimo files to check')
      .addOption(formatOption())
      .addOption(rootOption())
      .addOption(setOption())
      .action((files: string[], options: CheckOptions) =>
        run(async () => {
          const { check } = await import('./check-action.js');
          return check(files, options, ctx);
        }),
      );
  },
};
