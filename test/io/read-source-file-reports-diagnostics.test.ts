import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSourceFile } from '../../compiler/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mimo-io-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSourceFile', () => {
  it('returns the bytes of a file, resolving relative paths against cwd', async () => {
    writeFileSync(join(dir, 'a.mimo'), '\uFEFFmodel m {}\n');
    const result = await readSourceFile('a.mimo', { cwd: dir });
    expect(result.ok).toBe(true);
    if (result.ok) expect(Buffer.from(result.bytes).toString('utf8')).toBe('\uFEFFmodel m {}\n');
  });

  it('reports a missing file as MIMO0001 at 1:1 of the path as given', async () => {
    const result = await readSourceFile('nope.mimo', { cwd: dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostic.code).toBe('MIMO0001');
    expect(result.diagnostic.message).toBe('cannot read `nope.mimo`: no such file');
    expect(result.diagnostic.span).toMatchObject({ file: 'nope.mimo', line: 1, column: 1 });
    expect(result.diagnostic.help).toBeDefined();
  });

  it('reports a directory as MIMO0002', async () => {
    mkdirSync(join(dir, 'sub'));
    const result = await readSourceFile(join(dir, 'sub'));
    expect(result.ok ? undefined : result.diagnostic.code).toBe('MIMO0002');
  });

  it('reports other failures as MIMO0003 with a plain reason', async () => {
    writeFileSync(join(dir, 'plain.txt'), 'x');
    const result = await readSourceFile('plain.txt/inner.mimo', { cwd: dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostic.code).toBe('MIMO0003');
    expect(result.diagnostic.message).toBe('cannot read `plain.txt/inner.mimo`: a component of the path is not a directory');
  });

  it('reports a dangling symbolic link as a missing file', async () => {
    symlinkSync(join(dir, 'gone.mimo'), join(dir, 'dangling.mimo'));
    const result = await readSourceFile('dangling.mimo', { cwd: dir });
    expect(result.ok ? undefined : result.diagnostic.code).toBe('MIMO0001');
  });
});
