// Bundles the CLI (cli/main.ts and everything it imports from grammar/ and compiler/) into a few
// ES modules under dist/cli/bundle/, after tsc has built dist/. Why: a cold `mimo check` spent
// ~100 ms resolving and loading ~100 small modules one by one; the bundle's check path loads a
// dozen chunks. Each command stays its own dynamic import (code splitting), so `mimo check`
// still never loads the code generator or the runtime.
//
// What stays outside the bundle, and why:
// - runtime/: imported from dist/runtime/*.js, so that the CLI and the generated model code it
//   runs share one copy of the runtime (its tfjs backend choice, its classes).
// - packages with files of their own or native parts (tfjs and its .wasm, ts-morph, webgpu,
//   onnxruntime), and the ones loaded only on demand (yaml, ajv, cli-progress).
// - Chevrotain: grammar/chevrotain.ts imports the package's own single-file bundle by URL.
// Commander is small CommonJS and is bundled; `require` is provided by the banner.
//
// Usage: node cli/scripts/bundle.mjs [--dist DIR]   (npm run build runs it after tsc)
// The bundle is written next to the final folder and renamed into place, so a failed build
// leaves the previous bundle (or none) — never half of one. esbuild's output is deterministic.
import { build } from 'esbuild';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Packages the bundle imports at run time instead of containing them. */
export const EXTERNAL_PACKAGES = ['@tensorflow/*', 'ts-morph', 'typescript', 'webgpu', 'onnxruntime-node', 'yaml', 'ajv', 'ajv-formats', 'cli-progress', 'chevrotain'];

/** Where the bundle's entry module is for a given dist/ folder. */
export function bundleEntry(distDir) {
  return join(distDir, 'cli', 'bundle', 'main.js');
}

/**
 * Builds the bundle for the tsc output in `distDir` (default: the repository's dist/). Writes
 * `<distDir>/cli/bundle/main.js`, its chunks, and `meta.json` (each output's source inputs,
 * repository-relative), which tests use to tell which stages a command loaded.
 */
export async function bundleCli({ distDir = join(repo, 'dist') } = {}) {
  const finalDir = join(distDir, 'cli', 'bundle');
  const stagingDir = `${finalDir}.partial-${process.pid}`;
  const runtimeSources = join(repo, 'runtime') + sep;
  if (!existsSync(join(distDir, 'runtime', 'index.js'))) {
    throw new Error(`${join(distDir, 'runtime', 'index.js')} is missing: run tsc (npm run build) before bundling`);
  }
  const runtimeOutside = {
    name: 'runtime-from-dist',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        if (!source.startsWith(runtimeSources)) return undefined;
        const compiled = join(distDir, relative(repo, source)).replace(/\.ts$/, '.js');
        return { path: relative(finalDir, compiled).split(sep).join('/'), external: true };
      });
    },
  };
  rmSync(stagingDir, { recursive: true, force: true });
  try {
    const result = await build({
      absWorkingDir: repo,
      entryPoints: [join(repo, 'cli', 'main.ts')],
      outdir: stagingDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL_PACKAGES,
      plugins: [runtimeOutside],
      chunkNames: 'chunk-[hash]',
      banner: { js: "import { createRequire as __mimoCreateRequire } from 'node:module'; const require = __mimoCreateRequire(import.meta.url);" },
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = {};
    for (const [output, info] of Object.entries(result.metafile.outputs)) {
      if (output.endsWith('.map')) continue;
      const name = relative(stagingDir, join(repo, output)).split(sep).join('/');
      outputs[name] = Object.keys(info.inputs).sort();
    }
    const sorted = Object.fromEntries(Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    writeFileSync(join(stagingDir, 'meta.json'), JSON.stringify({ outputs: sorted }, null, 2) + '\n');
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(stagingDir, finalDir);
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  }
  return bundleEntry(distDir);
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
