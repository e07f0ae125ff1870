/**
 * The code generator's entry: checked models in, files out (path → text, no I/O). Per model a
 * module (`<model>.ts`), plus the shared `support.ts` and an `index.ts` that re-exports every
 * model class. Models the IR or the runtime cannot express are reported and skipped.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import { buildGraph } from '../ir/buildGraph.js';
import type { Graph } from '../ir/types.js';
import type { CheckedModel } from '../model/types.js';
import { NameAllocator, fileBaseName } from './identifiers.js';
import { stringLiteral } from './literals.js';
import { emitModelModule } from './modelModule.js';
import { SUPPORT_FILE, supportModuleText } from './supportModule.js';
import { unsupportedFeatures } from './supported.js';
import { DEFAULT_RUNTIME_IMPORT } from './runtimeLocation.js';

export interface GenerateOptions {
  /** Module specifier the generated code imports the runtime from (default `mimo/runtime`). */
  readonly runtimeImport?: string;
  /** Spec path named in each module's header. */
  readonly specPath?: string;
}

export interface GeneratedFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

export interface GeneratedModel {
  readonly id: string;
  /** The module's file, e.g. `llava_avlm_tiny.ts`. */
  readonly file: string;
  readonly className: string;
  readonly inputsName: string;
  readonly outputsName: string;
  /** The inputs property of each sense, in declaration order. */
  readonly senseKeys: readonly string[];
  readonly graph: Graph;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  readonly models: readonly GeneratedModel[];
  readonly diagnostics: readonly Diagnostic[];
}

export { DEFAULT_RUNTIME_IMPORT };

export function generateCode(checked: readonly CheckedModel[], options: GenerateOptions = {}): GenerateResult {
  const runtimeImport = options.runtimeImport ?? DEFAULT_RUNTIME_IMPORT;
  const diagnostics: Diagnostic[] = [];
  const files: GeneratedFile[] = [];
  const models: GeneratedModel[] = [];
  const fileNames = new NameAllocator(['support', 'index']);
  for (const model of checked) {
    const ir = buildGraph(model);
    diagnostics.push(...ir.diagnostics);
    if (ir.graph === undefined) continue;
    const unsupported = unsupportedFeatures(model);
    diagnostics.push(...unsupported);
    if (unsupported.length > 0) continue;
    const module = emitModelModule(model, ir.graph, { runtimeImport, supportImport: './support.js', specPath: options.specPath });
    const file = `${fileNames.allocate(fileBaseName(model.id))}.ts`;
    files.push({ path: file, text: module.text });
    models.push({ id: model.id, file, className: module.className, inputsName: module.inputsName, outputsName: module.outputsName, senseKeys: module.senseKeys, graph: ir.graph });
  }
  if (models.length > 0) {
    files.push({ path: SUPPORT_FILE, text: supportModuleText(runtimeImport) });
    files.push({ path: 'index.ts', text: indexText(models) });
  }
  return { files, models, diagnostics };
}

function indexText(models: readonly GeneratedModel[]): string {
  const lines = ['/** Every model generated from the spec, and the shape-typed tensor helpers. */'];
  for (const m of models) {
    const module = stringLiteral(`./${m.file.replace(/\.ts$/, '.js')}`);
    lines.push(`export { ${m.className}, type ${m.inputsName}, type ${m.outputsName} } from ${module};`);
  }
  lines.push("export { ShapeError, shaped, type Dim, type Dims, type ForwardOptions, type Tensor } from './support.js';");
  return `${lines.join('\n')}\n`;
}
