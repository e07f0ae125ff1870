import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatText } from '../../grammar/index.js';
import { runMimo } from './run-mimo.js';

const base = mkdtempSync(join(tmpdir(), 'mimo-cli-fmt-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const dir = join(base, `case${counter++}`);
  mkdirSync(dir);
  return dir;
}

const messy = 'model   m {\n  decoder llama { layers 32\n hidden 4096 }\n}\n';
const canonical = formatText(messy, 'messy.mimo').output!;
const broken = 'model m {\n  decoder llama {\n    layers\n  }\n';

describe('mimo fmt', () => {
  it('has a canonical form to compare against that differs from the messy input', () => {
    expect(canonical).toBeDefined();
    expect(canonical).not.toBe(messy);
  });

  it('--check lists the files that would change, exits 1 and writes nothing', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'messy.mimo'), messy);
    writeFileSync(join(dir, 'tidy.mimo'), canonical);
    const run = await runMimo(['fmt', '--check', 'messy.mimo', 'tidy.mimo'], { cwd: dir });
    expect(run).toEqual({ code: 1, stdout: 'messy.mimo\n', stderr: '' });
    expect(readFileSync(join(dir, 'messy.mimo'), 'utf8')).toBe(messy);
    expect(readdirSync(dir).sort()).toEqual(['messy.mimo', 'tidy.mimo']);
  });

  it('--check exits 0 with no output when everything is formatted (the seed spec is canonical)', async () => {
    expect(await runMimo(['fmt', '--check', 'specs/llava_avlm.mimo'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('rewrites only the files that change, leaves no temporary files, and is idempotent', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'messy.mimo'), messy);
    writeFileSync(join(dir, 'tidy.mimo'), canonical);
    const first = await runMimo(['fmt', 'messy.mimo', 'tidy.mimo'], { cwd: dir });
    expect(first).toEqual({ code: 0, stdout: 'messy.mimo\n', stderr: '' });
    expect(readFileSync(join(dir, 'messy.mimo'), 'utf8')).toBe(canonical);
    expect(readdirSync(dir).sort()).toEqual(['messy.mimo', 'tidy.mimo']);
    expect(await runMimo(['fmt', 'messy.mimo', 'tidy.mimo'], { cwd: dir })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports syntax errors, exits 1 and leaves that file untouched while formatting the others', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'broken.mimo'), broken);
    writeFileSync(join(dir, 'messy.mimo'), messy);
    const run = await runMimo(['fmt', 'broken.mimo', 'messy.mimo'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('messy.mimo\n');
    expect(run.stderr).toContain('error[MIMO1003]: expected a value after `layers`');
    expect(run.stderr).toContain(' --> broken.mimo:3:11');
    expect(readFileSync(join(dir, 'broken.mimo'), 'utf8')).toBe(broken);
    expect(readFileSync(join(dir, 'messy.mimo'), 'utf8')).toBe(canonical);
    expect(readdirSync(dir).sort()).toEqual(['broken.mimo', 'messy.mimo']);
  });

  it('leaves a file with invalid UTF-8 untouched', async () => {
    const dir = freshDir();
    const bytes = Buffer.concat([Buffer.from('model m { # caf'), Buffer.from([0xe9]), Buffer.from('\n}\n')]);
    writeFileSync(join(dir, 'latin1.mimo'), bytes);
    const run = await runMimo(['fmt', 'latin1.mimo'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, 'latin1.mimo')).equals(bytes)).toBe(true);
  });

  it('exits 2 for a missing file and a directory', async () => {
    const dir = freshDir();
    const missing = await runMimo(['fmt', 'nope.mimo'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[MIMO0001]');
    const directory = await runMimo(['fmt', '--check', '.'], { cwd: dir });
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('error[MIMO0002]');
  });

  it('formats standard input to standard output with `-`', async () => {
    expect(await runMimo(['fmt', '-'], { stdin: messy })).toEqual({ code: 0, stdout: canonical, stderr: '' });
    expect(await runMimo(['fmt', '--check', '-'], { stdin: messy })).toEqual({ code: 1, stdout: '<stdin>\n', stderr: '' });
    expect(await runMimo(['fmt', '--check', '-'], { stdin: canonical })).toEqual({ code: 0, stdout: '', stderr: '' });
    const bad = await runMimo(['fmt', '-'], { stdin: broken });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(' --> <stdin>:3:11');
  });
});
