/**
 * `mimo stats <spec> [--model M] [--set path=value ...] [--batch B] [--prompt P] [--json]`: the
 * analyses of one model: parameters per module (trainable / frozen), tokens per sense with their
 * derivation, the sequence length and the prompt's token layout, forward FLOPs, and memory.
 * Without --model it reports the first model the spec declares. `--json` prints the analysis with
 * every count as an exact JSON integer.
 *
 * Diagnostics go to stderr. Exit 0 ok, 1 the spec has errors, 2 usage or I/O error (a file that
 * cannot be read, an unknown --model).
 *
 * The options, `loadSpec` and `renderTable` (shared with other commands) live here; the analyses
 * are imported when the command runs (stats-action.ts).
 */
import { Option } from 'commander';
import type { PipelineResult } from '../../compiler/pipeline.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, integerArgument, resolveRoot, rootOption, writeDiagnostics, writeRunError } from '../report.js';
import type { CommandModule } from './index.js';

export interface StatsOptions {
  readonly model?: string;
  readonly set: string[];
  readonly batch: number;
  readonly prompt?: string;
  readonly json?: boolean;
  readonly root?: string;
}

// ---- options shared with `mimo variants` ---------------------------------------------------------

/** Collects a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

/** `--set <path=value>`, repeatable, applied to every model in order. */
export function setOption(): Option {
  return new Option('--set <path=value>', 'override a field, e.g. decoder.layers=12 (repeatable)').argParser(collect).default([]);
}

/** `--batch <n>`: a positive integer (commander reports anything else as a usage error, exit 2). */
export function batchOption(): Option {
  return new Option('--batch <n>', 'batch size for memory (default 1)')
    .argParser(integerArgument('the batch size', 1))
    .default(1);
}

export interface LoadedSpec {
  readonly result: PipelineResult;
  readonly root: string;
}

/**
 * Runs the front end on one spec, printing its diagnostics to stderr. Returns the result, or the
 * exit code to stop with (2 for I/O and usage errors, 1 when the spec itself has errors and
 * `stopOnErrors` is set).
 */
export async function loadSpec(
  ctx: CliContext,
  spec: string,
  options: { root?: string; set: readonly string[]; expandSweeps: boolean; stopOnErrors: boolean },
): Promise<LoadedSpec | number> {
  const root = await resolveRoot(ctx, options.root);
  if ('diagnostic' in root) {
    writeRunError(ctx, root.diagnostic);
    return ExitCode.usage;
  }
  const frontEndOptions = { root: root.root, cwd: ctx.cwd, overrides: options.set, expandSweeps: options.expandSweeps };
  const { runPipeline } = await import('../../compiler/pipeline.js');
  const result = await runPipeline([spec], frontEndOptions);
  writeDiagnostics(ctx, ctx.stderr, 'pretty', result.diagnostics, result.sources, root.root);
  const code = exitCodeFor(result.diagnostics);
  if (code === ExitCode.usage || (code !== ExitCode.ok && options.stopOnErrors)) return code;
  return { result, root: root.root };
}

// ---- the command ---------------------------------------------------------------------------------

export const statsCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('stats')
      .description('parameters, tokens, sequence length, FLOPs and memory of a model')
      .argument('<spec>', '.mimo file')
      .option('--model <id>', 'the model, variant (base/variant) or sweep point to report (default: the first model)')
      .addOption(setOption())
      .addOption(batchOption())
      .option('--prompt <text>', 'lay out this prompt (default: every placeholder, then the text budget)')
      .option('--json', 'print the analysis as JSON (counts as exact integers)')
      .addOption(rootOption())
      .action((spec: string, options: StatsOptions) =>
        run(async () => {
          const { stats } = await import('./stats-action.js');
          return stats(spec, options, ctx);
        }),
      );
  },
};

// ---- tables -------------------------------------------------------------------------------------------

export type Align = 'left' | 'right';

/** Aligns rows of cells into columns two spaces apart; trailing spaces are trimmed. */
export function renderTable(rows: readonly (readonly string[])[], align: readonly Align[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => {
      const cells = row.map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])));
      return `${indent}${cells.join('  ')}`.trimEnd() + '\n';
    })
    .join('');
}

