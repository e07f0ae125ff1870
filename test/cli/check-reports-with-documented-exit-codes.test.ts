import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo } from './run-mimo.js';

const dir = mkdtempSync(join(tmpdir(), 'mimo-cli-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const broken = join(dir, 'broken.mimo');
writeFileSync(broken, 'model m {\n  decoder llama {\n    layers\n  }\n');
const seed = 'specs/llava_avlm.mimo';

describe('mimo check', () => {
  it('exits 0 for a clean spec', async () => {
    const run = await runMimo(['check', seed]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/error\[/);
  });

  it('exits 1 and prints the errors with their source lines for a broken spec', async () => {
    const run = await runMimo(['check', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error[MIMO1003]: expected a value after `layers`');
    expect(run.stdout).toContain(` --> ${broken}:3:11`);
    expect(run.stdout).toContain('3 |     layers');
    expect(run.stdout).toMatch(/\n\d+ errors?\n$/);
  });

  it('exits 2 with MIMO0001 for a missing file and MIMO0002 for a directory', async () => {
    const missing = await runMimo(['check', 'no/such/file.mimo']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('error[MIMO0001]: cannot read `no/such/file.mimo`: no such file');
    const directory = await runMimo(['check', 'specs']);
    expect(directory.code).toBe(2);
    expect(directory.stdout).toContain('error[MIMO0002]: cannot read `specs`: it is a directory');
  });

  it('reports every file: an unreadable one makes the exit 2 even when another has spec errors', async () => {
    const run = await runMimo(['check', broken, 'missing.mimo', seed]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('MIMO1003');
    expect(run.stdout).toContain('MIMO0001');
  });

  it('rejects a bad flag, an unknown format, no files and an unknown command with exit 2 and a message', async () => {
    const badFlag = await runMimo(['check', '--bogus', seed]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("error: unknown option '--bogus'");
    const badFormat = await runMimo(['check', '--format', 'xml', seed]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("argument 'xml' is invalid. Allowed choices are pretty, json, sarif, github.");
    const noFiles = await runMimo(['check']);
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toContain("error: missing required argument 'files'");
    const unknown = await runMimo(['chekc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'chekc'");
    for (const run of [badFlag, badFormat, noFiles, unknown]) expect(run.stdout).toBe('');
  });

  it('exits 2 when --root is not a directory', async () => {
    const run = await runMimo(['check', '--root', 'no-such-dir', seed]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error[MIMO0005]: the project root `no-such-dir` is not a directory');
  });

  it('prints JSON, SARIF and GitHub annotations on request', async () => {
    const json = await runMimo(['check', '--format', 'json', broken]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { version: number; diagnostics: { code: string; span: { file: string } }[] };
    expect(report.version).toBe(1);
    expect(report.diagnostics[0]).toMatchObject({ code: 'MIMO1003', span: { file: broken } });

    const sarif = await runMimo(['check', '--format', 'sarif', '--root', dir, broken]);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'broken.mimo', uriBaseId: '%SRCROOT%' });

    const github = await runMimo(['check', '--format', 'github', '--root', dir, broken]);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=broken\.mimo,line=3,col=11,endLine=3,endColumn=11,title=MIMO1003::expected a value after `layers`/);

    const clean = await runMimo(['check', '--format', 'json', seed]);
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as { diagnostics: unknown[] }).diagnostics.filter((d) => (d as { severity: string }).severity === 'error')).toEqual([]);
  });

  it('colours output only on a terminal without NO_COLOR', async () => {
    const tty = await runMimo(['check', broken], { tty: true });
    expect(tty.stdout).toContain('\x1b[');
    const noColor = await runMimo(['check', broken], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\x1b');
    expect(noColor.stdout).toBe((await runMimo(['check', broken])).stdout);
    const emptyNoColor = await runMimo(['check', broken], { tty: true, env: { NO_COLOR: '' } });
    expect(emptyNoColor.stdout).not.toContain('\x1b');
    const piped = await runMimo(['check', broken], { tty: false });
    expect(piped.stdout).not.toContain('\x1b');
  });
});
