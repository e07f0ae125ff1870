/**
 * The lazy command registry (cli/commands/index.ts) imports a command's file only when the
 * command line names it, by the name its entry declares: that name must be the one the module
 * registers, or `mimo NAME` would find no command.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands, commandsFor, type CommandModule, type LazyCommand } from '../../cli/commands/index.js';
import type { CliContext } from '../../cli/context.js';

const quiet = { write: () => undefined, isTTY: false };
const ctx: CliContext = { stdout: quiet, stderr: quiet, stdin: { readAll: async () => new Uint8Array() }, cwd: process.cwd(), env: {}, color: false };

function registeredNames(modules: readonly CommandModule[]): string[] {
  const program = new Command('mimo');
  for (const module of modules) module.register(program, ctx, async () => undefined);
  return program.commands.map((command) => command.name());
}

const lazy = commands.filter((entry): entry is LazyCommand => 'load' in entry);

describe('the command registry', () => {
  it('declares every command lazily, each name once', () => {
    expect(lazy.length).toBe(commands.length);
    expect(new Set(lazy.map((entry) => entry.name)).size).toBe(lazy.length);
  });

  for (const entry of lazy) {
    it(`loads a module that registers exactly \`${entry.name}\``, async () => {
      expect(registeredNames([await entry.load()])).toEqual([entry.name]);
    });
  }

  it('loads only the command the first argument names', async () => {
    expect(registeredNames(await commandsFor(['check', 'specs/llava_avlm.mimo']))).toEqual(['check']);
    expect(registeredNames(await commandsFor(['variants', '--json', 'x.mimo']))).toEqual(['variants']);
  });

  it('loads none for --version and all, in order, for help, no arguments or an unknown command', async () => {
    expect(await commandsFor(['--version'])).toEqual([]);
    expect(await commandsFor(['-V'])).toEqual([]);
    const all = lazy.map((entry) => entry.name);
    for (const argv of [['--help'], [], ['chek', 'x.mimo'], ['-h', 'check']]) expect(registeredNames(await commandsFor(argv))).toEqual(all);
  });

  it('registers a plain (eager) module too, with the others', async () => {
    const extra: CommandModule = { register: (program) => void program.command('extra') };
    expect(registeredNames(await commandsFor(['extra'], [lazy[0], extra]))).toEqual([lazy[0].name, 'extra']);
    expect(registeredNames(await commandsFor([lazy[0].name], [lazy[0], extra]))).toEqual([lazy[0].name]);
  });
});
