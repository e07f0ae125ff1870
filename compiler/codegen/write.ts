/** Writes generated files under a directory, each atomically (temp file + rename). */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.js';
import { writeFileAtomic } from '../io/index.js';
import type { GeneratedFile } from './generate.js';

/** Writes every file under `dir` (created as needed); returns the diagnostics of failed writes. */
export async function writeGeneratedFiles(dir: string, files: readonly GeneratedFile[], cwd = process.cwd()): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const root = resolve(cwd, dir);
  for (const f of files) {
    const target = join(root, ...f.path.split('/'));
    try {
      await mkdir(dirname(target), { recursive: true });
    } catch {
      // writeFileAtomic reports the unwritable path with a diagnostic below.
    }
    const failed = await writeFileAtomic(target, f.text);
    if (failed !== undefined) out.push(failed);
  }
  return out;
}
