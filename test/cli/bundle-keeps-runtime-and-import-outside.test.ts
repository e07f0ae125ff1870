/**
 * The CLI bundle's two build rules (cli/scripts/bundle.mjs): runtime/ is reached only by
 * `import()` and loaded from tsc's dist/ (a static import fails the build with a message saying
 * what to do), and no `import()` is left in the bundle (each becomes a launcher call, because
 * functions restored from V8's code cache lose vm's import callback on Node 20).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFromDist, routeDistImports } from '../../cli/scripts/bundle.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// Entries inside the repository, so that their relative imports reach the real runtime/.
const dir = join(repo, '.tmp', `bundle-rules-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(name: string, source: string): Promise<string> {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source);
  const result = await build({
    absWorkingDir: repo,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    logLevel: 'silent',
    plugins: [loadFromDist(join(repo, 'dist'), join(repo, 'dist', 'cli'))],
  });
  return result.outputFiles[0].text;
}

describe('the CLI bundle', () => {
  it('imports runtime/ modules from dist/ by import(), rewritten to absolute URLs for the launcher', async () => {
    const code = routeDistImports(await bundle('dynamic', "export const load = async () => (await import('../../runtime/io/init.js')).createRng;\n"));
    expect(code).toContain('__mimoImport(new URL("../runtime/io/init.js", __mimoModuleUrl).href)');
    expect(code).toContain('.createRng');
    expect(code).not.toMatch(/function createRng/); // the module itself is not inside the bundle
  });

  it('refuses a static import of runtime/, naming the importer and the fix', async () => {
    await expect(bundle('static', "import { createRng } from '../../runtime/io/init.js';\nexport const rng = createRng(1, 'x');\n")).rejects.toThrow(
      /bundle-rules-\d+\/static\.ts imports runtime\/io\/init\.ts statically.*Use `await import\('\.\.\/\.\.\/runtime\/io\/init\.js'\)`/s,
    );
  });

  it('accepts a type-only import of runtime/ (nothing to load)', async () => {
    const code = await bundle('types', "import type { HostTensor } from '../../runtime/webgpu/executor.js';\nexport const n = (x: HostTensor): number => x.length;\n");
    expect(code).not.toContain('runtime');
  });

  it('fails the build when an import() would be left in the bundle', () => {
    expect(() => routeDistImports('const m = await import(url);')).toThrow(/the bundle has no import\(\) of dist\/ modules/);
    expect(() => routeDistImports('a = import("mimo-dist-import:../runtime/index.js"); b = import(url);')).toThrow(/still calls import\(\).*route it through compiler\/io\/import-url\.ts/);
    // Text that merely mentions import( in a string is not a call.
    expect(routeDistImports('a = import("mimo-dist-import:./x.js"); s = "import(";')).toBe('a = __mimoImport(new URL("./x.js", __mimoModuleUrl).href); s = "import(";');
  });
});
