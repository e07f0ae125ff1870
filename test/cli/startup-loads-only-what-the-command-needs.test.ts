/**
 * Start-up cost is mostly module loading, so what a command loads is the contract. `--version`
 * loads no stage code. `--help` imports every command file, so it checks cli/README.md's start-up
 * rule: none of the heavy packages (the runtime's tfjs included) nor the front end. `mimo check`
 * loads the front end but none of the code generator (ts-morph, typescript), the runtime
 * (@tensorflow/*), ONNX or WebGPU, nor Chevrotain's many-module build (~450 lodash-es files) or
 * the YAML parser (the presets come from their snapshot).
 *
 * Each run is a child process of the compiled CLI under a module hook that records every module
 * it resolves (ES modules) plus `require.cache` at exit (CommonJS loaded by CommonJS). The stage
 * contract is checked on tsc's output, one file per source module; `bin/mimo` runs the same code
 * from the one-file bundle (cli/scripts/bundle.mjs), where dynamic imports stay lazy, and the last
 * tests check that bundle: few files, no heavy package, its V8 code cache taken, and the runtime
 * imported from dist/. The CLI is the repository's dist/ when it is newer than the sources, else a
 * build in .tmp/ (so this never races another test rebuilding dist/; type errors elsewhere do not
 * stop tsc from emitting).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../cli/scripts/bundle.mjs';
import { bundlePaths } from '../../cli/scripts/launch.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let distDir = join(repo, 'dist');
let hooks: string;

function newestSourceTime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return path.endsWith('.ts') ? info.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((name) => newestSourceTime(join(path, name))));
}

function isFresh(dist: string): boolean {
  const main = join(dist, 'cli', 'main.js');
  const { bundle, cache } = bundlePaths(dist);
  if (!existsSync(main) || !existsSync(bundle) || !existsSync(cache)) return false;
  const sources = ['grammar', 'compiler', 'runtime', 'cli'].map((name) => join(repo, name));
  return Math.max(...sources.map(newestSourceTime)) <= statSync(main).mtimeMs && statSync(main).mtimeMs <= statSync(bundle).mtimeMs;
}

beforeAll(async () => {
  hooks = mkdtempSync(join(tmpdir(), 'mimo-startup-'));
  // Runs in the hooks thread: records each resolved URL, one per line.
  writeFileSync(
    join(hooks, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`,
  );
  // Preloaded into the CLI's process: registers the hooks, and at exit adds the CommonJS modules.
  writeFileSync(
    join(hooks, 'record.mjs'),
    `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const log = process.env.MIMO_STARTUP_LOG;
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(log, Object.keys(cache).map((p) => pathToFileURL(p).href + '\\n').join('')));
`,
  );
  writeFileSync(join(hooks, 'entry.mjs'), `const { main } = await import(process.argv[2]);\nprocess.exitCode = await main(process.argv.slice(3));\n`);
  // The bundle as bin/mimo loads it; says on fd 3 whether V8 took the code cache.
  writeFileSync(
    join(hooks, 'bundle-entry.mjs'),
    `import { writeSync } from 'node:fs';
import { loadBundledCli } from ${JSON.stringify(pathToFileURL(join(repo, 'cli', 'scripts', 'launch.mjs')).href)};
const loaded = loadBundledCli(process.argv[2], process.env.MIMO_TEST_CODE_CACHE ?? process.argv[2] + '.v8cache');
writeSync(3, loaded.cache);
process.exitCode = await loaded.main(process.argv.slice(3));
`,
  );
  if (isFresh(distDir)) return;
  distDir = join(repo, '.tmp', 'startup-test-dist');
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', 'tsconfig.json', '--outDir', distDir, '--incremental', '--tsBuildInfoFile', join(repo, '.tmp', 'startup-test.tsbuildinfo')];
  spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' });
  if (!existsSync(join(distDir, 'cli', 'main.js'))) throw new Error('tsc emitted no cli/main.js');
  await bundleCli({ distDir });
}, 600_000);

afterAll(() => {
  if (hooks !== undefined) rmSync(hooks, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module URL the process loaded, deduplicated. */
  readonly modules: readonly string[];
  /** The bundle's code cache: accepted, rejected or none (runs of the bundle only). */
  readonly cache?: string;
}

function record(name: string, entryArgs: string[], args: string[], env: Record<string, string> = {}): Run {
  const log = join(hooks, `modules-${name}-${args.join('-').replace(/[^\w-]/g, '_')}.log`);
  writeFileSync(log, '');
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(join(hooks, 'record.mjs')).href, ...entryArgs, ...args], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', MIMO_STARTUP_LOG: log, ...env },
  });
  const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter((line) => line !== ''))];
  const cache = child.output[3] === null || child.output[3] === '' ? undefined : String(child.output[3]);
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, modules, ...(cache === undefined ? {} : { cache }) };
}

/** tsc's output: one file per source module. */
function mimo(...args: string[]): Run {
  return record('dist', [join(hooks, 'entry.mjs'), pathToFileURL(join(distDir, 'cli', 'main.js')).href], args);
}

/** The one-file bundle with its code cache, as bin/mimo runs it. */
function bundledMimo(...args: string[]): Run {
  return record('bundle', [join(hooks, 'bundle-entry.mjs'), bundlePaths(distDir).bundle], args);
}

/** The bundle with another code cache file. */
function bundledMimoWithCache(cache: string, ...args: string[]): Run {
  return record('bundle-other-cache', [join(hooks, 'bundle-entry.mjs'), bundlePaths(distDir).bundle], args, { MIMO_TEST_CODE_CACHE: cache });
}

/** Packages under node_modules that a run loaded (`@tensorflow/tfjs-core`, `chevrotain`). */
function packages(run: Run): Set<string> {
  const found = new Set<string>();
  for (const url of run.modules) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match !== null) found.add(match[1]);
  }
  return found;
}

const heavy = [/^@tensorflow\//, /^ts-morph$/, /^@ts-morph\//, /^typescript$/, /^onnxruntime-node$/, /^onnxruntime-common$/, /^webgpu$/, /^ajv$/];

function heavyPackages(run: Run): string[] {
  return [...packages(run)].filter((name) => heavy.some((pattern) => pattern.test(name))).sort();
}

/** The stage folders (dist/compiler/*, dist/runtime/*, dist/grammar) a run loaded. */
function stages(run: Run): string[] {
  const prefix = pathToFileURL(distDir).href + '/';
  const found = new Set<string>();
  for (const url of run.modules) {
    if (!url.startsWith(prefix)) continue;
    const [top, second] = url.slice(prefix.length).split('/');
    if (top === 'compiler' || top === 'runtime') found.add(second.endsWith('.js') ? `${top}/${second}` : `${top}/${second}/`);
    else if (top === 'grammar') found.add('grammar/');
  }
  return [...found].sort();
}

describe('start-up', () => {
  it('--version loads no stage code and no heavy package', () => {
    const run = mimo('--version');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run.modules.length).toBeGreaterThan(5); // the hook did record the CLI's own modules
    expect(heavyPackages(run)).toEqual([]);
    expect(stages(run)).toEqual(['compiler/diagnostics/']);
  });

  it('--help registers every command without loading what the commands run', () => {
    const run = mimo('--help');
    expect(run.status).toBe(0);
    for (const command of ['check', 'stats', 'fmt', 'variants', 'build', 'plan', 'demo']) expect(run.stdout).toContain(`  ${command} `);
    expect(heavyPackages(run)).toEqual([]);
    // Nor the front end (Chevrotain, the YAML parser, the checker).
    expect([...packages(run)].filter((name) => name === 'chevrotain' || name === 'yaml')).toEqual([]);
    expect(stages(run).filter((stage) => stage === 'grammar/' || stage === 'compiler/check/' || stage === 'compiler/presets/')).toEqual([]);
  });

  it('check loads the front end only, with Chevrotain from its bundle and presets from their snapshot', () => {
    const run = mimo('check', 'specs/llava_avlm.mimo');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('1 file checked: no problems found\n');
    expect(run.status).toBe(0);
    expect(heavyPackages(run)).toEqual([]);
    expect([...packages(run)].sort()).toEqual(['chevrotain', 'commander']);
    expect(run.modules.filter((url) => url.includes('/node_modules/chevrotain/'))).toEqual([
      expect.stringMatching(/\/node_modules\/chevrotain\/lib\/chevrotain\.mjs$/),
    ]);
    expect(stages(run).some((stage) => /^compiler\/(codegen|ir|plan|wgsl)\/$|^runtime\//.test(stage))).toBe(false);
  });
});

describe('start-up of the bundle bin/mimo runs', () => {
  it('check reads one file of ours with its code cache, and no package files but the Node built-ins', () => {
    const run = bundledMimo('check', 'specs/llava_avlm.mimo');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('1 file checked: no problems found\n');
    expect(run.status).toBe(0);
    expect(run.cache).toBe('accepted');
    const files = run.modules.filter((url) => url.startsWith('file:') && !url.startsWith(pathToFileURL(hooks).href));
    // launch.mjs and the bundle, Chevrotain and commander inside it: nothing from node_modules.
    expect(files.map((url) => url.slice(pathToFileURL(repo).href.length)).sort()).toEqual(['cli/scripts/launch.mjs']);
    expect(packages(run)).toEqual(new Set());
  });

  it('run imports the runtime from dist/ (one copy, shared with generated code) while the cache is in use', () => {
    const run = bundledMimo('run', 'specs/tiny_gpt2.mimo', '--backend', 'wasm', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.cache).toBe('accepted');
    expect(JSON.parse(run.stdout)).toMatchObject({ model: 'tiny_gpt2', backend: 'wasm', output: { name: 'logits', shape: [1, 28, 513] } });
    expect(run.modules).toContain(pathToFileURL(join(distDir, 'runtime', 'index.js')).href);
    // The generated model imported the same runtime entry (no second copy under another URL).
    expect(run.modules.filter((url) => /\/runtime\/index\.(js|ts)$/.test(url))).toEqual([pathToFileURL(join(distDir, 'runtime', 'index.js')).href]);
  });

  it('a code cache made for something else is rejected by V8 and the CLI still runs, only uncached', () => {
    const stale = join(hooks, 'stale.v8cache');
    writeFileSync(stale, readFileSync(bundlePaths(distDir).cache).subarray(0, 4096));
    const run = bundledMimoWithCache(stale, 'check', 'specs/llava_avlm.mimo');
    expect(run.cache).toBe('rejected');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('1 file checked: no problems found\n');
    expect(run.status).toBe(0);
  });
});
