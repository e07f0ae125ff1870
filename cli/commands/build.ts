/**
 * `mimo build <spec> [--model M] [--set path=value ...] [-o DIR] [--runtime-import S] [--typecheck]`:
 * writes one TypeScript module per model (config `as const`, weight manifest with Hugging Face
 * names, shape-typed inputs and outputs, a model class over mimo's runtime), plus `support.ts`
 * and `index.ts`, into DIR (default `out`), each file atomically. Without --model it builds every
 * model and variant of the spec (sweep points only when named).
 *
 * Exit 0 ok, 1 the spec has errors or a model cannot be generated, 2 usage or I/O error.
 */
import type { GenerateResult } from '../../compiler/codegen/index.js';
import { DEFAULT_RUNTIME_IMPORT, runtimeSourceEntry } from '../../compiler/codegen/runtimeLocation.js';
import { relative, resolve } from 'node:path';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, rootOption, writeDiagnostics } from '../report.js';
import type { CommandModule } from './index.js';
import { pickModels, reportNoModel } from './pick-model.js';
import { loadSpec, setOption } from './stats.js';


interface BuildOptions {
  readonly model?: string;
  readonly set: string[];
  readonly out: string;
  readonly runtimeImport: string;
  readonly typecheck?: boolean;
  readonly root?: string;
}

export const buildCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('build')
      .description('generate typed TypeScript model code (one module per model) into a directory')
      .argument('<spec>', '.mimo file')
      .option('--model <id>', 'build only this model, variant (base/variant) or sweep point')
      .addOption(setOption())
      .option('-o, --out <dir>', 'output directory', 'out')
      .option('--runtime-import <specifier>', "module the generated code imports mimo's runtime from", DEFAULT_RUNTIME_IMPORT)
      .option('--typecheck', 'type-check the generated code with tsc --strict (in-process) before writing it')
      .addOption(rootOption())
      .action((spec: string, options: BuildOptions) => run(() => build(spec, options, ctx)));
  },
};

async function build(spec: string, options: BuildOptions, ctx: CliContext): Promise<number> {
  const wanted = options.model;
  const loaded = await loadSpec(ctx, spec, { root: options.root, set: options.set, expandSweeps: wanted?.includes('[') ?? false, stopOnErrors: true });
  if (typeof loaded === 'number') return loaded;
  const models = pickModels(ctx, spec, loaded.result.models, wanted);
  if (models === undefined) return ExitCode.usage;
  if (models.length === 0) return reportNoModel(ctx, spec);
  const { generateCode, writeGeneratedFiles } = await import('../../compiler/codegen/index.js');
  const generated = generateCode(models, { runtimeImport: options.runtimeImport, specPath: relative(loaded.root, resolve(ctx.cwd, spec)).split('\\').join('/') });
  writeDiagnostics(ctx, ctx.stderr, 'pretty', generated.diagnostics, loaded.result.sources, loaded.root);
  if (options.typecheck === true && generated.files.length > 0) {
    const checked = await typecheckBeforeWrite(ctx, generated, options.runtimeImport, loaded.root);
    if (checked !== ExitCode.ok) return checked;
  }
  const written = await writeGeneratedFiles(options.out, generated.files, ctx.cwd);
  if (written.length > 0) {
    writeDiagnostics(ctx, ctx.stderr, 'pretty', written, new Map(), loaded.root);
    return ExitCode.usage;
  }
  for (const m of generated.models) {
    const params = m.graph.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    ctx.stdout.write(`wrote ${joinPath(options.out, m.file)}: ${m.className} (${m.id}, ${params.toLocaleString('en-US')} parameters, ${m.graph.nodes.length} IR ops)\n`);
  }
  if (generated.files.length > 0) ctx.stdout.write(`wrote ${joinPath(options.out, 'support.ts')}, ${joinPath(options.out, 'index.ts')}\n`);
  return exitCodeFor(generated.diagnostics);
}

function joinPath(dir: string, file: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${file}`;
}

/**
 * Runs tsc --strict over the generated files against the runtime's source and prints the errors:
 * exit 1 when there are any, 2 when this installation has no runtime sources to check against.
 */
async function typecheckBeforeWrite(ctx: CliContext, generated: GenerateResult, runtimeImport: string, root: string): Promise<ExitCode> {
  const { typecheckGenerated } = await import('../../compiler/codegen/index.js');
  const entry = runtimeSourceEntry();
  if (entry === undefined) {
    ctx.stderr.write("mimo build: --typecheck needs mimo's runtime sources (runtime/index.ts), which this installation does not include\n");
    return ExitCode.usage;
  }
  const { errors } = typecheckGenerated(generated.files, { runtimeEntry: entry, runtimeImport, virtualDir: resolve(root, '.mimo-typecheck') });
  for (const e of errors) ctx.stderr.write(`error: ${e}\n`);
  if (errors.length === 0) ctx.stdout.write(`type-checked ${generated.files.length} files with --strict: no errors\n`);
  return errors.length > 0 ? ExitCode.specErrors : ExitCode.ok;
}
