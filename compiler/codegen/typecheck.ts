/**
 * Type-checks generated files in-process under `--strict` with TypeScript's own checker (through
 * ts-morph, which carries the compiler and its lib files): the generated files are added in
 * memory inside the project directory, the runtime import is mapped to the runtime's source, and
 * everything else (tfjs types, node types) is read from disk.
 */
import { join, relative, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import type { GeneratedFile } from './generate.js';

export interface TypecheckResult {
  /** `file(line,col): message`, empty when the code compiles. */
  readonly errors: readonly string[];
}

export interface TypecheckOptions {
  /** Absolute path of the runtime entry the generated import maps to (`<root>/runtime/index.ts`). */
  readonly runtimeEntry: string;
  /** The specifier the generated code imports the runtime by. */
  readonly runtimeImport: string;
  /** A directory inside the project under which the in-memory files are placed (node_modules resolution starts there). Nothing is written. */
  readonly virtualDir: string;
}

export function typecheckGenerated(files: readonly GeneratedFile[], options: TypecheckOptions): TypecheckResult {
  const dir = resolve(options.virtualDir);
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      // Bundler resolution: `.js` specifiers find `.ts` sources and `paths` maps the runtime,
      // without NodeNext's per-file CommonJS/ESM format detection.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      skipLibCheck: true,
      noImplicitOverride: true,
      paths: { [options.runtimeImport]: [options.runtimeEntry] },
    },
  });
  for (const f of files) if (f.path.endsWith('.ts')) project.createSourceFile(join(dir, ...f.path.split('/')), f.text, { overwrite: true });
  project.resolveSourceFileDependencies();
  const errors = project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, '\n');
      const file = d.getSourceFile();
      if (file === undefined) return message;
      const start = d.getStart() ?? 0;
      const { line, column } = file.getLineAndColumnAtPos(start);
      return `${relative(dir, file.getFilePath())}(${line},${column}): ${message}`;
    });
  return { errors };
}
