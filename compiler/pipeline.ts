/**
 * The whole front half of the compiler as one call: read and decode files, parse, resolve
 * (imports, presets, extends, variants, sweeps, --set overrides), check, and lift into checked
 * models. The CLI and the library use this; each stage also has its own entry.
 */
import { parseFile, parseSource } from '../grammar/index.js';
import { checkProgram, DiagnosticSink } from './check/index.js';
import type { Diagnostic } from './diagnostics/types.js';
import type { CheckedModel } from './model/types.js';
import { loadPresetCatalog } from './presets/index.js';
import { loadProgram, resolveProgram, type SourceHost } from './resolve/index.js';

export interface PipelineOptions {
  /** Project root: imports may not escape it. Defaults to the current directory. */
  readonly root?: string;
  /** `--set path=value` overrides, applied to every model, in order. */
  readonly overrides?: readonly string[];
  /**
   * Also return every sweep point in `models` (for `mimo variants`). Sweep points are always
   * checked, so an error in any point is reported either way.
   */
  readonly expandSweeps?: boolean;
  /** Directory that relative paths are resolved against (default: the process's). */
  readonly cwd?: string;
  /** File-system access, replaceable in tests. */
  readonly host?: SourceHost;
}

export interface PipelineResult {
  readonly diagnostics: readonly Diagnostic[];
  /** File texts by path, for renderers that show source lines (imports, presets and `--set` texts included). */
  readonly sources: ReadonlyMap<string, string>;
  /** Checked models (models, variants, sweep points) in declaration order. Empty if resolution failed. */
  readonly models: readonly CheckedModel[];
}

export async function runPipeline(paths: readonly string[], options: PipelineOptions = {}): Promise<PipelineResult> {
  const cwd = options.cwd ?? process.cwd();
  const program = await loadProgram(paths, {
    root: options.root ?? cwd,
    cwd,
    parse: (bytes, path) => parseFile(bytes, path),
    host: options.host,
  });
  const sink = new DiagnosticSink();
  sink.addAll(program.diagnostics);
  const sources = new Map(program.sources);
  if (program.files.length === 0) return { diagnostics: sink.diagnostics(), sources, models: [] };

  const presets = loadPresetCatalog();
  const resolved = resolveProgram(program, { overrides: options.overrides, parseText: parseSource, presets });
  sink.addAll(resolved.diagnostics);
  for (const [path, text] of resolved.sources) if (!sources.has(path)) sources.set(path, text);

  const checked = checkProgram(resolved, sink, sources);
  const sweepPoints = new Set(resolved.models.filter((m) => m.origin.kind === 'sweep').map((m) => m.id));
  const models = options.expandSweeps ? checked.models : checked.models.filter((m) => !sweepPoints.has(m.id));
  return { diagnostics: sink.diagnostics(), sources, models };
}
