/**
 * The registry of CLI commands, in the order `mimo --help` lists them. Each command lives in its
 * own file and exports a `CommandModule`; adding a command is that file plus one line below.
 * See cli/README.md for the contract.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { fmtCommand } from './fmt.js';
import { planCommand } from './plan.js';
import { statsCommand } from './stats.js';
import { variantsCommand } from './variants.js';

/** Runs a command's action and records the exit code it resolves to. Exceptions propagate to main(). */
export type RunCommand = (action: () => Promise<number>) => Promise<void>;

export interface CommandModule {
  /**
   * Adds the command to the program (`program.command('name')...`). Its action must call
   * `run(async () => exitCode)`; output goes only through `ctx` streams.
   */
  register(program: Command, ctx: CliContext, run: RunCommand): void;
}

export const commands: readonly CommandModule[] = [
  checkCommand,
  statsCommand,
  fmtCommand,
  variantsCommand,
  buildCommand,
  planCommand,
  demoCommand,
];
