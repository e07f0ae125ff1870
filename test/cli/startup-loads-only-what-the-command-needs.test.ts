/**
 * Start-up cost is mostly module loading, so what a command loads is the contract. `--version`
 * loads no stage code. `--help` imports every command file, so it checks cli/README.md's start-up
 * rule: none of the heavy packages (the runtime's tfjs included) nor the front end. `mimo check`
 * loads the front end but none of the code generator (ts-morph, typescript), the runtime
 * (@tensorflow/*), ONNX or WebGPU, nor Chevrotain's many-module build (~450 lodash-es files) or
 * the YAML parser (the presets come from their snapshot).
 *
 * Each run is a child process of the CLI as `bin/mimo` runs it — the bundle in dist/cli/bundle/
 * (cli/scripts/bundle.mjs) — under a module hook that records every module it resolves (ES
 * modules) plus `require.cache` at exit (CommonJS loaded by CommonJS). A bundle chunk stands for
 * the sources the bundler put in it (its meta.json), so "loaded compiler/codegen/" still means
 * what it says. The CLI is the repository's dist/ when it is newer than the sources, else a build
 * in .tmp/ (so this never races another test rebuilding dist/; type errors elsewhere do not stop
 * tsc from emitting).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, bundleEntry } from '../../cli/scripts/bundle.mjs';

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
  const bundled = bundleEntry(dist);
  if (!existsSync(main) || !existsSync(bundled)) return false;
  const sources = ['grammar', 'compiler', 'runtime', 'cli'].map((name) => join(repo, name));
  return Math.max(...sources.map(newestSourceTime)) <= statSync(main).mtimeMs && statSync(main).mtimeMs <= statSync(bundled).mtimeMs;
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
  /** Every module URL the process loaded, deduplicated; a bundle chunk counts as the source files in it. */
  readonly modules: readonly string[];
  /** How many module files the process loaded (a chunk counts once). */
  readonly files: number;
}

/** Bundle chunk URL → file URLs of the sources in it (from the bundle's meta.json). */
function chunkSources(): Map<string, string[]> {
  const bundleDir = join(distDir, 'cli', 'bundle');
  const meta = JSON.parse(readFileSync(join(bundleDir, 'meta.json'), 'utf8')) as { outputs: Record<string, string[]> };
  return new Map(Object.entries(meta.outputs).map(([chunk, inputs]) => [pathToFileURL(join(bundleDir, chunk)).href, inputs.map((input) => pathToFileURL(join(repo, input)).href)]));
}

function mimo(...args: string[]): Run {
  const log = join(hooks, `modules-${args.join('-').replace(/[^\w-]/g, '_')}.log`);
  writeFileSync(log, '');
  const main = pathToFileURL(bundleEntry(distDir)).href;
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(join(hooks, 'record.mjs')).href, join(hooks, 'entry.mjs'), main, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MIMO_STARTUP_LOG: log },
  });
  const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter((line) => line !== ''))];
  const chunks = chunkSources();
  const modules = [...new Set(loaded.flatMap((url) => chunks.get(url) ?? [url]))];
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, modules, files: loaded.filter((url) => url.startsWith('file:')).length };
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

/** The stage folders (compiler/*, runtime/*, grammar/, compiled or bundled sources) a run loaded. */
function stages(run: Run): string[] {
  const prefixes = [pathToFileURL(distDir).href + '/', pathToFileURL(repo).href];
  const found = new Set<string>();
  for (const url of run.modules) {
    const prefix = prefixes.find((candidate) => url.startsWith(candidate));
    if (prefix === undefined || url.includes('/node_modules/')) continue;
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
    // The point of the bundle: ~18 files (its chunks, Chevrotain's bundle, the hooks) instead of
    // the ~100 separate modules of tsc's output.
    expect(run.files).toBeLessThan(30);
  });
});
