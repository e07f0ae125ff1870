/**
 * `mimo fmt [--check] <files...>`: rewrites spec files in canonical form. Only files whose text
 * changes are written, each atomically (a failed write leaves the original as it was); files with
 * syntax errors are reported and left untouched. `--check` writes nothing and lists the files that
 * would change. `mimo fmt -` formats standard input to standard output.
 *
 * Prints the paths it rewrote (or would rewrite) to stdout, diagnostics to stderr. Exit 0 when all
 * is well, 1 when a file has syntax errors or (with --check) would change, 2 on an I/O error.
 *
 * Only the options live here; formatting is imported when the command runs (fmt-action.ts).
 */
import type { CommandModule } from './index.js';

export interface FmtOptions {
  readonly check?: boolean;
}

export const fmtCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('fmt')
      .description('rewrite spec files in canonical form (`-` formats stdin to stdout)')
      .argument('<files...>', '.mimo files to format, or - for standard input')
      .option('--check', 'write nothing; list the files that are not formatted and exit 1 if any')
      .action((files: string[], options: FmtOptions) =>
        run(async () => {
          const { fmt } = await import('./fmt-action.js');
          return fmt(files, options, ctx);
        }),
      );
  },
};
