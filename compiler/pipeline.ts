/**
 * The whole front half of the compiler as one call: read and decode files, parse, resolve
 * (imports, presets, extends, variants, sweeps, --set overrides), check, and lift into checked
 * models. The CLI and the library use this; each stage also has its own entry.
 */
import type { Diagnostic } from './diagnostics/types.js';
import type { CheckedModel } from './model/types.js';

export interface PipelineOptions {
  /** Project root: imports may not escape it. Defaults to the current directory. */
  readonly root?: string;
  /** `--set path=value` overrides, applied to every model, in order. */
  readonly overrides?: readonly string[];
  /** Also expand and check every sweep point (for `mimo variants`). */
  readonly expandSweeps?: boolean;
}

export interface PipelineResult {
  readonly diagnostics: readonly Diagnostic[];
  /** File texts by path, for renderers that show source lines. */
  readonly sources: ReadonlyMap<string, string>;
  /** Checked models (models, variants, sweep points) in declaration order. Empty if resolution failed. */
  readonly models: readonly CheckedModel[];
}
