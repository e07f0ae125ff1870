import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.js';
import { readErrorDiagnostic } from './io-error.js';

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

export interface ReadOptions {
  /** Relative paths are resolved against this directory (default: the process's). */
  readonly cwd?: string;
}

/**
 * Reads a whole file as bytes (decoding is the grammar's job: it handles BOMs and invalid UTF-8).
 * Never throws for file-system problems: a missing file, a directory or an unreadable file
 * becomes a MIMO0xxx diagnostic whose span names `path` exactly as given.
 */
export async function readSourceFile(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  try {
    // Checked first because reading a directory fails differently on different platforms.
    const info = await stat(absolute);
    if (info.isDirectory()) {
      return { ok: false, diagnostic: readErrorDiagnostic(path, Object.assign(new Error('directory'), { code: 'EISDIR' })) };
    }
    const buffer = await readFile(absolute);
    return { ok: true, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
  } catch (error) {
    return { ok: false, diagnostic: readErrorDiagnostic(path, error) };
  }
}
