/**
 * Choosing the model(s) a command works on: `--model` by id (`base/variant`, `base[layers=2]`) or
 * by name, else every model and variant (sweep points only when named). Shared by build, plan,
 * run and bench, so that they accept the same names and say the same thing when a name is wrong
 * (MIMO0020, with a "did you mean") or the spec declares no model (MIMO0021).
 */
import { createDiagnostic } from '../../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../../compiler/diagnostics/catalog/io.js';
import { suggest } from '../../compiler/diagnostics/suggest.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { ExitCode, type CliContext } from '../context.js';
import { writeRunError } from '../report.js';
import { loadSpec, type LoadedSpec } from './stats.js';

/** The models `--model` picks (by id or name), or every model and variant; undefined after reporting an unknown name. */
export function pickModels(ctx: CliContext, spec: string, models: readonly CheckedModel[], wanted: string | undefined): readonly CheckedModel[] | undefined {
  if (wanted === undefined) return models.filter((m) => !m.id.includes('['));
  const model = models.find((m) => m.id === wanted) ?? models.find((m) => m.name === wanted);
  if (model !== undefined) return [model];
  const ids = models.map((m) => m.id);
  const close = suggest(wanted, ids);
  const help = close !== undefined ? `did you mean \`${close}\`?` : `the spec declares: ${ids.map((id) => `\`${id}\``).join(', ')}`;
  writeRunError(ctx, createDiagnostic(ioDiagnostics.unknownModel, undefined, { name: wanted, file: spec }, { help }));
  return undefined;
}

/** Reports that `spec` declares no model; returns the exit code for it. */
export function reportNoModel(ctx: CliContext, spec: string): number {
  writeRunError(ctx, createDiagnostic(ioDiagnostics.noModel, undefined, { file: spec }, { help: 'add a `model` declaration to the spec (or import a file that has one)' }));
  return ExitCode.specErrors;
}

export interface OneModelOptions {
  readonly root?: string;
  readonly set: readonly string[];
  readonly model?: string;
}

/**
 * Loads `spec` and picks one model: `--model`, else `byDefault` of the spec's models and variants
 * (default: the first). Returns the model and the loaded spec, or the exit code to stop with,
 * after reporting why.
 */
export async function loadOneModel(
  ctx: CliContext,
  spec: string,
  options: OneModelOptions,
  byDefault: (models: readonly CheckedModel[]) => CheckedModel | undefined = (models) => models[0],
): Promise<{ readonly loaded: LoadedSpec; readonly model: CheckedModel } | number> {
  const loaded = await loadSpec(ctx, spec, { root: options.root, set: options.set, expandSweeps: options.model?.includes('[') === true, stopOnErrors: true });
  if (typeof loaded === 'number') return loaded;
  const picked = pickModels(ctx, spec, loaded.result.models, options.model);
  if (picked === undefined) return ExitCode.usage;
  const model = options.model === undefined ? byDefault(picked) : picked[0];
  if (model === undefined) return reportNoModel(ctx, spec);
  return { loaded, model };
}
