// Bundles the CLI into one CommonJS file, dist/cli/mimo.cjs, with a V8 code cache beside it
// (mimo.cjs.v8cache), after tsc has built dist/. Why: a cold `mimo check` spent most of its time
// above Node's own start-up loading ~100 ES modules and compiling their functions on first call.
// One file loads in one read; the code cache, made here by running `mimo check` on the seed spec
// once, holds those functions already compiled. cli/scripts/launch.mjs loads the two (bin/mimo
// uses it). Node 22 can cache ES modules itself (module.enableCompileCache); Node 20 cannot, and
// vm.Script's cachedData needs a script, hence CommonJS.
//
// What stays outside the bundle, and why:
// - runtime/ and the few CLI modules that use tfjs through it (FROM_DIST): imported from tsc's
//   dist/*.js with `import()`, so that the CLI and the generated model code it runs share one
//   copy of the runtime and one TensorFlow.js (its backends, its engine). A static import of them
//   would become a require() of an ES module, so the build refuses it and says what to do.
// - `import()` itself: in a vm script whose functions come from a code cache, Node 20 loses the
//   script's import callback. So no `import()` is left in the bundle: each one of a dist/ module
//   becomes a call of `__mimoImport(absolute URL)`, a parameter the launcher passes in (its own
//   import()), and compiler/io/import-url.ts (generated code) is swapped for a module doing the same.
// - packages with files of their own or native parts (tfjs and its .wasm, ts-morph, webgpu,
//   onnxruntime), and the ones needed only by some commands (yaml, ajv, cli-progress).
// Chevrotain's single-file ES build and commander are bundled.
//
// Usage: node cli/scripts/bundle.mjs [--dist DIR]   (npm run build runs it after tsc)
// The bundle is written under a temporary name and renamed into place, then trained there; the
// cache is written atomically after. A failed build leaves no bundle (bin/mimo then runs tsc's
// dist/ as it is). A cache left from another bundle or another Node is rejected by V8
// (checked against the source and V8's version and flags): the CLI then runs uncached, slower to
// start, never wrong.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePaths, loadBundledCli } from './launch.mjs';

const repo = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Packages the bundle requires or imports at run time instead of containing them. */
export const EXTERNAL_PACKAGES = ['@tensorflow/*', 'ts-morph', 'typescript', 'webgpu', 'onnxruntime-node', 'yaml', 'ajv', 'ajv-formats', 'cli-progress'];

/** CLI modules outside runtime/ that are loaded from dist/ too: they call TensorFlow.js through the runtime. */
export const FROM_DIST = ['cli/commands/bench-tfjs.ts'];

/** Commands run once at build time to fill the code cache: the cold paths worth having compiled. */
const TRAINING_RUNS = [['--version'], ['check', join(repo, 'specs', 'llava_avlm.mimo')]];

/** grammar/chevrotain.ts imports Chevrotain's ES bundle by URL with top-level await; a CommonJS bundle includes that file statically instead. */
function chevrotainModule() {
  const entry = createRequire(import.meta.url).resolve('chevrotain');
  const bundle = join(dirname(dirname(entry)), 'chevrotain.mjs');
  const source = readFileSync(join(repo, 'grammar', 'chevrotain.ts'), 'utf8');
  const names = /export const \{([^}]+)\} = chevrotain;/.exec(source);
  if (names === null) throw new Error('grammar/chevrotain.ts no longer ends with `export const { ... } = chevrotain;`: update chevrotainModule() in cli/scripts/bundle.mjs');
  return `export {${names[1]}} from ${JSON.stringify(existsSync(bundle) ? bundle : 'chevrotain')};`;
}

/** Marks an external import() in esbuild's output, to be rewritten into a launcher call. */
const DIST_IMPORT_MARK = 'mimo-dist-import:';

export function loadFromDist(distDir, bundleDir) {
  const runtimeSources = join(repo, 'runtime') + sep;
  const fromDist = new Set(FROM_DIST.map((path) => join(repo, path)));
  return {
    name: 'load-from-dist',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        if (!source.startsWith(runtimeSources) && !fromDist.has(source)) return undefined;
        const what = relative(repo, source);
        if (args.kind !== 'dynamic-import') {
          return {
            errors: [{ text: `${relative(repo, args.importer)} imports ${what} statically; the CLI bundle loads ${what} from dist/ to share one runtime with generated code. Use \`await import('${args.path}')\` where it is needed (type-only imports are fine).` }],
          };
        }
        const compiled = join(distDir, what).replace(/\.ts$/, '.js');
        if (!existsSync(compiled)) return { errors: [{ text: `${compiled} is missing: run tsc (npm run build) before bundling` }] };
        const fromBundle = relative(bundleDir, compiled).split(sep).join('/');
        return { path: DIST_IMPORT_MARK + (fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`), external: true };
      });
      builder.onLoad({ filter: /[\\/]grammar[\\/]chevrotain\.ts$/ }, () => ({ contents: chevrotainModule(), loader: 'ts', resolveDir: join(repo, 'grammar') }));
      builder.onLoad({ filter: /[\\/]compiler[\\/]io[\\/]import-url\.ts$/ }, () => ({ contents: 'export const importUrl = (url: string): Promise<unknown> => __mimoImport(url);', loader: 'ts' }));
    },
  };
}

/**
 * Rewrites every marked `import("mimo-dist-import:<path>")` of esbuild's output into
 * `__mimoImport(<absolute URL of path>)` and checks that no other `import(` is left.
 */
export function routeDistImports(code) {
  let rewritten = 0;
  const routed = code.replace(/\bimport\("mimo-dist-import:([^"]+)"\)/g, (_, path) => {
    rewritten += 1;
    return `__mimoImport(new URL(${JSON.stringify(path)}, __mimoModuleUrl).href)`;
  });
  if (rewritten === 0) throw new Error('the bundle has no import() of dist/ modules: did esbuild change how it writes them?');
  const left = /\bimport\((?!\))/.exec(routed.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'));
  if (left !== null) throw new Error(`the bundle still calls import() (${JSON.stringify(routed.slice(left.index, left.index + 60))}); route it through compiler/io/import-url.ts`);
  return routed;
}

/** Writes `text` (or bytes) to `path` through a temporary file in the same folder. */
function writeAtomically(path, data) {
  const temporary = `${path}.partial-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * Builds the bundle for the tsc output in `distDir` (default: the repository's dist/) and trains
 * its code cache. Resolves to the bundle's path.
 */
export async function bundleCli({ distDir = join(repo, 'dist') } = {}) {
  const { bundle, cache } = bundlePaths(distDir);
  const bundleDir = dirname(bundle);
  if (!existsSync(join(distDir, 'cli', 'main.js'))) throw new Error(`${join(distDir, 'cli', 'main.js')} is missing: run tsc (npm run build) before bundling`);
  // Built under its final name in a folder beside dist/cli/ (same depth), so that its source map's
  // comment and relative paths are right once it is moved.
  const stagingDir = join(distDir, `.cli-bundle-partial-${process.pid}`);
  const staged = join(stagingDir, basename(bundle));
  rmSync(stagingDir, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: repo,
      entryPoints: [join(repo, 'cli', 'main.ts')],
      outfile: staged,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL_PACKAGES,
      plugins: [loadFromDist(distDir, bundleDir)],
      // ES module code asks import.meta.url where it is (presets, package.json, the runtime).
      define: { 'import.meta.url': '__mimoModuleUrl' },
      banner: { js: "'use strict';\nconst __mimoModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
    });
    writeFileSync(staged, routeDistImports(readFileSync(staged, 'utf8')));
    rmSync(cache, { force: true });
    renameSync(`${staged}.map`, `${bundle}.map`);
    renameSync(staged, bundle);
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }
  // Trained where it will run from, so that its import() of dist/ modules resolve as they will.
  try {
    writeAtomically(cache, await trainCodeCache(bundle));
  } catch (error) {
    rmSync(bundle, { force: true });
    throw error;
  }
  return bundle;
}

/** Runs the training commands on the bundle at `path` (output discarded) and returns V8's code cache for it. */
async function trainCodeCache(path) {
  const loaded = loadBundledCli(path, undefined);
  const sink = { write: () => true, isTTY: false };
  for (const argv of TRAINING_RUNS) {
    const code = await loaded.main(argv, { stdout: sink, stderr: sink, env: { NO_COLOR: '1' } });
    if (code !== 0) throw new Error(`training run \`mimo ${argv.join(' ')}\` of the new bundle exited with ${code}`);
  }
  return loaded.createCachedData();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--dist');
  const distDir = flag > 0 ? resolve(process.argv[flag + 1] ?? '') : undefined;
  try {
    await bundleCli(distDir === undefined ? {} : { distDir });
  } catch (error) {
    process.stderr.write(`cli/scripts/bundle.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
