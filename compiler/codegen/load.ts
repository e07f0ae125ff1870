/**
 * Runs generated code: transpiles the generated files (imports of the runtime rewritten to
 * `runtimeEntry`), writes them to `dir`, and imports one model module. What runs is what was
 * generated, byte for byte apart from the import specifier.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importUrl, writeFileAtomic } from '../io/index.js';
import type { GeneratedFile } from './generate.js';
import { transpileGenerated } from './transpile.js';

export interface LoadGeneratedOptions {
  /** The specifier the generated files import the runtime by (`mimo/runtime`). */
  readonly runtimeImport: string;
  /** What that import becomes: a file URL of the built runtime, or a path the host loader resolves (the `.ts` source under vitest). */
  readonly runtimeEntry: string;
}

/** Writes the transpiled files under `dir` and imports `file` (a generated `.ts` path, e.g. `tiny_avlm.ts`). */
export async function importGenerated(files: readonly GeneratedFile[], dir: string, file: string, options: LoadGeneratedOptions): Promise<Record<string, unknown>> {
  await mkdir(dir, { recursive: true });
  const hash = createHash('sha256');
  for (const f of transpileGenerated(files, new Map([[options.runtimeImport, options.runtimeEntry]]))) {
    const failed = await writeFileAtomic(join(dir, f.path), f.text);
    if (failed !== undefined) throw new Error(failed.message);
    hash.update(f.path).update(f.text);
  }
  // The content hash in the URL keeps the module cache from serving an older build of the same path.
  const url = `${pathToFileURL(join(dir, file.replace(/\.ts$/, '.js'))).href}?v=${hash.digest('hex').slice(0, 16)}`;
  return (await importUrl(url)) as Record<string, unknown>;
}
