// Loads the CLI bundle (dist/cli/mimo.cjs, made by cli/scripts/bundle.mjs) with its V8 code
// cache: the way Node loads a CommonJS file, but through vm.Script, which takes cachedData.
// bin/mimo runs the CLI through this when the bundle is there and current.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** The bundle and its code cache for a dist/ folder. */
export function bundlePaths(distDir) {
  const bundle = join(distDir, 'cli', 'mimo.cjs');
  return { bundle, cache: `${bundle}.v8cache` };
}

// CommonJS's wrapper plus `__mimoImport`: the bundle's import() of dist/ modules and generated
// code, done here, outside the vm script (see bundle.mjs for why).
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __mimoImport) { ';
const WRAPPER_TAIL = '\n})';

/** import() by absolute URL, for the bundle. */
const importForBundle = (url) => import(url);

/**
 * Compiles and runs the bundle at `path`, with the code cache at `cachePath` when it exists
 * (undefined: none). Returns the CLI's `main`, whether V8 took the cache ('accepted', 'rejected':
 * made for another bundle or another Node, 'none'), and `createCachedData()` for the build.
 */
export function loadBundledCli(path, cachePath) {
  const source = readFileSync(path, 'utf8');
  const cachedData = cachePath !== undefined && existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: path, cachedData });
  const module = { exports: {} };
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path), importForBundle);
  const main = module.exports.main;
  if (typeof main !== 'function') throw new Error(`${path} does not export main()`);
  return {
    main,
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted',
    createCachedData: () => script.createCachedData(),
  };
}
