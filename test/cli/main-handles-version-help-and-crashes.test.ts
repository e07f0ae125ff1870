import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { runMimo } from './run-mimo.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('main', () => {
  it('prints the package version with --version and exits 0', async () => {
    expect(await runMimo(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists the commands and the exit codes with --help and exits 0', async () => {
    const run = await runMimo(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: mimo');
    expect(run.stdout).toMatch(/\n {2}check \[options\] <files\.\.\.>/);
    expect(run.stdout).toMatch(/\n {2}fmt \[options\] <files\.\.\.>/);
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 the specs have errors');
    const sub = await runMimo(['check', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--format <format>');
  });

  it('treats a missing command as a usage error (exit 2, help on stderr)', async () => {
    const run = await runMimo([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: mimo');
  });

  it('turns an unexpected exception into an internal error with exit 2 and no stack trace', async () => {
    let stderr = '';
    const failing = { write: (): void => { throw new Error('the disk is on fire'); }, isTTY: false };
    const code = await main(['check', 'specs/llava_avlm.mimo'], { stdout: failing, stderr: { write: (t) => void (stderr += t), isTTY: false }, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('error[MIMO0099]: internal error: the disk is on fire');
    expect(stderr).toContain('MIMO_DEBUG=1');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('shows the stack trace of an internal error when MIMO_DEBUG=1', async () => {
    let stderr = '';
    const failing = { write: (): void => { throw new Error('the disk is on fire'); }, isTTY: false };
    const code = await main(['check', 'specs/llava_avlm.mimo'], { stdout: failing, stderr: { write: (t) => void (stderr += t), isTTY: false }, env: { MIMO_DEBUG: '1' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/\n\s+at /);
  });
});
