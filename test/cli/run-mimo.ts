/** Runs the CLI in-process with captured streams, the way the tests see it. */
import { main } from '../../cli/main.js';

export interface MimoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Pretend stdout is a terminal. */
  readonly tty?: boolean;
  /** Pretend stderr is a terminal (progress bars). */
  readonly stderrTty?: boolean;
  readonly stdin?: string;
}

export async function runMimo(argv: readonly string[], options: RunOptions = {}): Promise<MimoRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text) => void (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text) => void (stderr += text), isTTY: options.stderrTty ?? false },
    stdin: { readAll: async () => new TextEncoder().encode(options.stdin ?? '') },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
