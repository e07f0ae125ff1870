import { randomBytes } from 'node:crypto';
import { chmod, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.js';
import { errorCode, writeErrorDiagnostic } from './io-error.js';

export interface WriteOptions {
  /** Relative paths are resolved against this directory (default: the process's). */
  readonly cwd?: string;
}

/**
 * Writes `content` to `path` so that readers see either the old file or the whole new one, never a
 * half-written file: the bytes go to a temporary file in the same directory, are flushed to disk,
 * and the temporary file is renamed over the target. An existing file keeps its permission bits;
 * a symbolic link keeps pointing at its (rewritten) target. On failure the temporary file is
 * removed, the original is untouched, and a MIMO0004 diagnostic is returned; on success, undefined.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<Diagnostic | undefined> {
  let target = resolve(options.cwd ?? process.cwd(), path);
  let mode: number | undefined;
  try {
    target = await realpath(target);
    mode = (await stat(target)).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return writeErrorDiagnostic(path, error);
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // `open` applies the umask; restore the original bits exactly.
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, target);
    return undefined;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return writeErrorDiagnostic(path, error);
  }
}
