/**
 * The registry of CLI commands, in the order `mimo --help` lists them. Each command lives in its
 * own file and exports a `CommandModule`; adding a command is that file plus one line below.
 * See cli/README.md for the contract.
 *
 * Entries are lazy: a command's file is imported only when the command line names it (or when
 * every command is needed, for `--help` and for unknown commands), so `mimo check` never loads
 * the code generator or the runtime. A plain `CommandModule` is accepted too, loaded eagerly.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** Runs a command's action and records the exit code it resolves to. Exceptions propagate to main(). */
export type RunCommand = (action: () => Promise<number>) => Promise<void>;

export interface CommandModule {
  /**
   * Adds the command to the program (`program.command('name')...`). Its action must call
   * `run(async () => exitCode)`; output goes only through `ctx` streams.
   */
  register(program: Command, ctx: CliContext, run: RunCommand): void;
}

/** A command whose file is imported on demand; `name` is the name its module registers. */
export interface LazyCommand {
  readonly name: string;
  load(): Promise<CommandModule>;
}

export type CommandEntry = CommandModule | LazyCommand;

export const commands: readonly CommandEntry[] = [
  { name: 'check', load: async () => (await import('./check.js')).checkCommand },
  { name: 'stats', load: async () => (await import('./stats.js')).statsCommand },
  { name: 'fmt', load: async () => (await import('./fmt.js')).fmtCommand },
  { name: 'variants', load: async () => (await import('./variants.js')).variantsCommand },
  { name: 'build', load: async () => (await import('./build.js')).buildCommand },
  { name: 'plan', load: async () => (await import('./plan.js')).planCommand },
  { name: 'bench', load: async () => (await import('./bench.js')).benchCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
];

function isLazy(entry: CommandEntry): entry is LazyCommand {
  return 'load' in entry;
}

/**
 * The command modules to register for `argv`, in registry order: none for `--version` (it
 * prints before any command runs), only the named command when the first argument names one,
 * else all of them (help lists them all; an unknown command gets a suggestion from among them).
 */
export async function commandsFor(argv: readonly string[], entries: readonly CommandEntry[] = commands): Promise<CommandModule[]> {
  const first = argv[0];
  if (first === '--version' || first === '-V') return [];
  const named = entries.find((entry) => isLazy(entry) && entry.name === first);
  const wanted = named === undefined ? entries : [named];
  return Promise.all(wanted.map((entry) => (isLazy(entry) ? entry.load() : entry)));
}
