/**
 * What a CLI command may touch. Commands never write to `process.stdout`, read `process.stdin`
 * or call `process.exit` directly, so tests can run `main(argv)` in-process and read what it
 * printed.
 */
export interface OutputStream {
  write(text: string): void;
  /** True when the stream is a terminal (colour and progress bars are allowed). */
  readonly isTTY: boolean;
}

export interface InputStream {
  /** Reads the stream to its end (used by `mimo fmt -`). */
  readAll(): Promise<Uint8Array>;
}

export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  /** Relative paths on the command line are resolved against this directory. */
  readonly cwd: string;
  /** False when `NO_COLOR` is set (any value) or stdout is not a TTY: renderers must not emit ANSI escapes. */
  readonly color: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Documented exit codes. */
export const ExitCode = {
  ok: 0,
  /** The spec has errors (or a --check found differences). */
  specErrors: 1,
  /** Usage error or I/O error (missing file, unreadable, a directory). */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
