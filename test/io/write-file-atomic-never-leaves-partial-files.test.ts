import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../compiler/io/index.js';

const base = mkdtempSync(join(tmpdir(), 'mimo-io-write-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const dir = join(base, `case${counter++}`);
  mkdirSync(dir);
  return dir;
}

describe('writeFileAtomic', () => {
  it('creates a new file and leaves no temporary file behind', async () => {
    const dir = freshDir();
    expect(await writeFileAtomic('new.mimo', 'model m {}\n', { cwd: dir })).toBeUndefined();
    expect(readFileSync(join(dir, 'new.mimo'), 'utf8')).toBe('model m {}\n');
    expect(readdirSync(dir)).toEqual(['new.mimo']);
  });

  it('replaces an existing file and keeps its permission bits', async () => {
    const dir = freshDir();
    const file = join(dir, 'spec.mimo');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    expect(await writeFileAtomic(file, new TextEncoder().encode('new'))).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['spec.mimo']);
  });

  it('writes through a symbolic link, which stays a link', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'target.mimo'), 'old');
    symlinkSync('target.mimo', join(dir, 'link.mimo'));
    expect(await writeFileAtomic('link.mimo', 'new', { cwd: dir })).toBeUndefined();
    expect(lstatSync(join(dir, 'link.mimo')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.mimo'))).toBe('target.mimo');
    expect(readFileSync(join(dir, 'target.mimo'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link.mimo', 'target.mimo']);
  });

  it('reports MIMO0004 for a missing directory and creates nothing', async () => {
    const dir = freshDir();
    const failure = await writeFileAtomic('missing/out.mimo', 'x', { cwd: dir });
    expect(failure?.code).toBe('MIMO0004');
    expect(failure?.message).toBe('cannot write `missing/out.mimo`: no such file or directory');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on a failed rename removes its temporary file and leaves the target untouched', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'occupied'));
    writeFileSync(join(dir, 'occupied', 'keep.txt'), 'keep');
    const failure = await writeFileAtomic('occupied', 'x', { cwd: dir });
    expect(failure?.code).toBe('MIMO0004');
    expect(readdirSync(dir)).toEqual(['occupied']);
    expect(readFileSync(join(dir, 'occupied', 'keep.txt'), 'utf8')).toBe('keep');
  });
});
