/**
 * The registry of CLI commands, in the order `mimo --help` lists them. Each command lives in its
 * own file and exports a `CommandModule`.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export interface CommandModule {
  /** Adds the command to the program. The action resolves to the process exit code. */
  register(program: Command, ctx: CliContext, run: (action: () => Promise<number>) => Promise<void>): void;
}

export const commands: readonly CommandModule[] = [];
