/**
 * Where mimo's own runtime lives next to this module, for running and type-checking generated
 * code: the compiled `dist/runtime/index.js` when mimo runs from `dist/`, or `runtime/index.ts`
 * when it runs from source (under vitest). Both trees have `compiler/codegen/` two levels below
 * their root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The module generated code imports mimo's runtime from, unless told otherwise. Defined here, not
 * in generate.ts, so that the CLI can show it in `--help` without loading the code generator.
 */
export const DEFAULT_RUNTIME_IMPORT = 'mimo/runtime';

const here = fileURLToPath(import.meta.url);
/** True when this module is TypeScript source (run by vitest), false when compiled. */
const fromSource = here.endsWith('.ts');
/**
 * The root of the tree this module is in — the package root from source, `dist/` compiled — found
 * as the nearest folder above with the runtime's entry, so it holds for tsc's output
 * (dist/compiler/codegen/) and for the CLI bundle (dist/cli/bundle/) alike.
 */
let treeRootFound: string | undefined;

function treeRoot(): string {
  treeRootFound ??= findTreeRoot(fromSource ? 'index.ts' : 'index.js');
  return treeRootFound;
}

function findTreeRoot(entry: string): string {
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'runtime', entry))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find mimo's runtime (runtime/${entry}) above ${here}`);
  }
}

/** The package root (the folder with package.json). */
export function packageRoot(): string {
  return fromSource ? treeRoot() : dirname(treeRoot());
}

/** The runtime entry to import generated code against: a file URL of the compiled runtime, or the source path under vitest. */
export function runtimeRunEntry(): string {
  return fromSource ? join(treeRoot(), 'runtime', 'index.ts') : pathToFileURL(join(treeRoot(), 'runtime', 'index.js')).href;
}

/** The runtime's TypeScript entry for type-checking, if the package ships its sources. */
export function runtimeSourceEntry(): string | undefined {
  const entry = join(packageRoot(), 'runtime', 'index.ts');
  return existsSync(entry) ? entry : undefined;
}
