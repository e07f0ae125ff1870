/**
 * `mimo variants <spec> [--set path=value ...] [--batch B] [--json | --markdown]`: checks every
 * model, variant and sweep point of a spec and tabulates them side by side: id, parameters, tokens
 * per sense, sequence length, forward FLOPs, memory, and pass/fail with the first error.
 *
 * Every point is checked, however many fail (the diagnostics printed on stderr stop at the usual
 * limit; the table never does). A progress bar shows on stderr when it is a terminal and there are
 * many points. Exit codes follow `mimo check`: 1 when anything in the spec has an error, a failing
 * sweep point included (the table is printed in full either way, so a grid can be explored and
 * then cleaned up with `exclude`); 2 on usage or I/O errors; 0 otherwise.
 *
 * Only the options live here; checking and rendering are imported when the command runs
 * (variants-action.ts).
 */
import { Option } from 'commander';
import { rootOption } from '../report.js';
import type { CommandModule } from './index.js';
import { batchOption, setOption } from './stats.js';

export interface VariantsOptions {
  readonly set: string[];
  readonly batch: number;
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly root?: string;
}

export const variantsCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('variants')
      .description('check every model, variant and sweep point and tabulate them side by side')
      .argument('<spec>', '.mimo file')
      .addOption(setOption())
      .addOption(batchOption())
      .addOption(new Option('--json', 'print the table as JSON (counts as exact integers)').conflicts('markdown'))
      .addOption(new Option('--markdown', 'print the table as a Markdown table'))
      .addOption(rootOption())
      .action((spec: string, options: VariantsOptions) =>
        run(async () => {
          const { variants } = await import('./variants-action.js');
          return variants(spec, options, ctx);
        }),
      );
  },
};
