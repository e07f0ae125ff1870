/**
 * The `mimo` command line. `bin/mimo` calls `main(process.argv.slice(2))`; tests call it with
 * captured streams. Returns the exit code: 0 ok, 1 the specs have errors, 2 usage or I/O error.
 * Never throws and never prints a stack trace, unless MIMO_DEBUG=1 asks for one.
 */
import { Command, CommanderError } from 'commander';
import { createDiagnostic } from '../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../compiler/diagnostics/catalog/io.js';
import { commandsFor, type CommandModule } from './commands/index.js';
import { ExitCode, type CliContext, type InputStream, type OutputStream } from './context.js';
import { writeRunError } from './report.js';
import { mimoVersion } from './version.js';

export { ExitCode, type CliContext } from './context.js';

export async function main(argv: readonly string[], partial: Partial<CliContext> = {}): Promise<number> {
  const ctx = completeContext(partial);
  let exitCode: number = ExitCode.ok;
  try {
    const program = buildProgram(ctx, await commandsFor(argv), async (action) => {
      exitCode = await action();
    });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportInternalError(ctx, error);
  }
}

function buildProgram(ctx: CliContext, commands: readonly CommandModule[], run: (action: () => Promise<number>) => Promise<void>): Command {
  const program = new Command('mimo');
  program
    .description('Check, format and compile multimodal model specs (.mimo files).')
    .version(mimoVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: (text, write) => write(text),
    })
    .showHelpAfterError('(run `mimo --help` for usage)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 the specs have errors (or fmt --check found changes), 2 usage or I/O error.\n');
  // Subcommands created by program.command() inherit exitOverride and the output configuration.
  for (const command of commands) command.register(program, ctx, run);
  return program;
}

function completeContext(partial: Partial<CliContext>): CliContext {
  const env = partial.env ?? process.env;
  const stdout = partial.stdout ?? processOutput(process.stdout);
  const stderr = partial.stderr ?? processOutput(process.stderr);
  // NO_COLOR set to any value (even empty) turns colour off.
  const noColor = env.NO_COLOR !== undefined;
  return {
    stdout,
    stderr,
    stdin: partial.stdin ?? processInput(),
    cwd: partial.cwd ?? process.cwd(),
    env,
    color: partial.color ?? (stdout.isTTY && !noColor),
  };
}

/** Process streams whose reader has gone away; one 'error' listener per stream however often main() runs. */
const brokenStreams = new WeakMap<NodeJS.WriteStream, { broken: boolean }>();

function processOutput(stream: NodeJS.WriteStream): OutputStream {
  // A reader that goes away (`mimo check ... | head`) makes writes fail with EPIPE as an 'error'
  // event; without a listener Node would crash with a stack trace. Stop writing instead.
  let state = brokenStreams.get(stream);
  if (state === undefined) {
    const created = { broken: false };
    stream.on('error', () => {
      created.broken = true;
    });
    brokenStreams.set(stream, created);
    state = created;
  }
  const current = state;
  return {
    write: (text) => {
      if (!current.broken) stream.write(text);
    },
    isTTY: stream.isTTY === true,
  };
}

function processInput(): InputStream {
  return {
    async readAll() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      const all = Buffer.concat(chunks);
      return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
    },
  };
}

function reportInternalError(ctx: CliContext, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  writeRunError(
    ctx,
    createDiagnostic(ioDiagnostics.internalError, undefined, { message }, {
      help: 'this is a bug in mimo, not in your spec; please report it with the command and input (set MIMO_DEBUG=1 to print the stack trace)',
    }),
  );
  if (ctx.env.MIMO_DEBUG === '1' && error instanceof Error && error.stack !== undefined) ctx.stderr.write(`${error.stack}\n`);
  return ExitCode.usage;
}
