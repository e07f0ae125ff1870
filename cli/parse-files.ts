/**
 * The front end without resolution or checks: read each file and parse it. `mimo check` uses this
 * until `runPipeline` (compiler/pipeline.ts) exists; it has the same signature and result shape,
 * so switching is one import line in cli/commands/check.ts.
 */
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { readSourceFile } from '../compiler/io/index.js';
import type { PipelineOptions, PipelineResult } from '../compiler/pipeline.js';
import { parseFile } from '../grammar/index.js';

export interface ParseFilesOptions extends PipelineOptions {
  /** Relative paths are read from here (default: the process's working directory). */
  readonly cwd?: string;
}

export async function parseFiles(paths: readonly string[], options: ParseFilesOptions = {}): Promise<PipelineResult> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const path of paths) {
    const read = await readSourceFile(path, { cwd: options.cwd });
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parseFile(read.bytes, path);
    sources.set(path, parsed.file.text);
    diagnostics.push(...parsed.diagnostics);
  }
  return { diagnostics, sources, models: [] };
}
