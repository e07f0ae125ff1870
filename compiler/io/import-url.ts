/**
 * `import()` of a module known only at run time (generated model code), by absolute URL. It is
 * in one place because the CLI bundle runs as a vm script with a V8 code cache, where `import()`
 * fails on Node 20 (the cached functions lose the script's import callback): the bundle swaps this
 * module for one that asks its launcher to import (cli/scripts/bundle.mjs).
 */
export async function importUrl(url: string): Promise<unknown> {
  return import(url);
}
