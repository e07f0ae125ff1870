/**
 * Turns generated TypeScript into runnable ES modules in-process (TypeScript's `transpileModule`,
 * from the copy ts-morph ships), rewriting chosen import specifiers on the way — e.g. the
 * runtime's `mimo/runtime` to a file URL of the running package, so that the code that runs is
 * the code that was generated, wherever it is written.
 */
import { ts } from 'ts-morph';
import type { GeneratedFile } from './generate.js';

export interface TranspiledFile {
  /** `model.ts` → `model.js` */
  readonly path: string;
  readonly text: string;
}

function rewriteSpecifiers(map: ReadonlyMap<string, string>): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const f = context.factory;
    const visit = (node: ts.Node): ts.Node => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = map.get(node.moduleSpecifier.text);
        if (target !== undefined) {
          return ts.isImportDeclaration(node)
            ? f.updateImportDeclaration(node, node.modifiers, node.importClause, f.createStringLiteral(target), node.attributes)
            : f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, f.createStringLiteral(target), node.attributes);
        }
      }
      return node;
    };
    return ts.visitEachChild(file, visit, context);
  };
}

/** Transpiles every `.ts` file to ES2022 JavaScript; `specifiers` maps import specifiers to replacements. */
export function transpileGenerated(files: readonly GeneratedFile[], specifiers: ReadonlyMap<string, string> = new Map()): TranspiledFile[] {
  return files
    .filter((f) => f.path.endsWith('.ts'))
    .map((f) => {
      const out = ts.transpileModule(f.text, {
        fileName: f.path,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, isolatedModules: true },
        transformers: { before: [rewriteSpecifiers(specifiers)] },
      });
      return { path: f.path.replace(/\.ts$/, '.js'), text: out.outputText };
    });
}
