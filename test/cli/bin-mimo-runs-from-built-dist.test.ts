/**
 * The installed entry point: `./bin/mimo` runs the compiled CLI from dist/ (its one-file bundle,
 * dist/cli/mimo.cjs, with its code cache) in a child process. `npm test` builds dist/ before vitest runs; when this file
 * runs on its own and dist/ is missing or older than the sources, it builds dist/ and the bundle
 * first (and fails with tsc's output if that fails).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../cli/scripts/bundle.mjs';
import { bundlePaths } from '../../cli/scripts/launch.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const builtMain = join(repo, 'dist', 'cli', 'main.js');

function newestSourceTime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return path.endsWith('.ts') ? info.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((name) => newestSourceTime(join(path, name))));
}

function distIsStale(): boolean {
  if (!existsSync(builtMain)) return true;
  const sources = ['grammar', 'compiler', 'runtime', 'cli', 'index.ts'].map((name) => join(repo, name)).filter((path) => existsSync(path));
  return Math.max(...sources.map(newestSourceTime)) > statSync(builtMain).mtimeMs;
}

function bundleIsStale(): boolean {
  const { bundle, cache } = bundlePaths(join(repo, 'dist'));
  return !existsSync(bundle) || !existsSync(cache) || statSync(bundle).mtimeMs < statSync(builtMain).mtimeMs;
}

beforeAll(async () => {
  if (distIsStale()) {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: repo, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building dist/ failed:\n${build.stdout}${build.stderr}`);
  }
  if (bundleIsStale()) await bundleCli();
}, 600_000);

function mimo(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(join(repo, 'bin', 'mimo'), args, { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('./bin/mimo', () => {
  it('checks the seed spec and exits 0', () => {
    const run = mimo('check', 'specs/llava_avlm.mimo');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('error[');
  });

  it('exits 2 with a diagnostic, not a stack trace, for a missing file', () => {
    const run = mimo('check', 'specs/does-not-exist.mimo');
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('error[MIMO0001]: cannot read `specs/does-not-exist.mimo`: no such file');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a usage error', () => {
    const run = mimo('check', '--format', 'xml', 'specs/llava_avlm.mimo');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("argument 'xml' is invalid");
  });
});
