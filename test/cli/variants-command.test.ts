/**
 * `mimo variants`: every model, variant and sweep point is checked and tabulated (text, Markdown,
 * JSON with exact integers); failing points show their first error and make the exit code 1, as
 * in `mimo check`, without hiding the other rows; a progress bar appears only on a terminal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo, type MimoRun } from './run-mimo.js';

const repo = resolve(import.meta.dirname, '../..');
const seedText = readFileSync(join(repo, 'specs', 'llava_avlm.mimo'), 'utf8');

function mimo(args: string[], cwd: string, stderrIsTTY = false): Promise<MimoRun> {
  return runMimo(args, { cwd, stderrTty: stderrIsTTY });
}

const scratch = mkdtempSync(join(tmpdir(), 'mimo-variants-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function spec(name: string, extra: string): string {
  writeFileSync(join(scratch, name), seedText + extra);
  return name;
}

describe('mimo variants', () => {
  it('tabulates the seed: its model, its variants and every point of its grid', async () => {
    const { code, stdout, stderr } = await mimo(['variants', 'specs/llava_avlm.mimo', '--json'], repo);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout).rows as { id: string; ok: boolean; sequence_length: number; params: { total: number } }[];
    expect(rows[0].id).toBe('llava_avlm');
    expect(rows.filter((r) => r.id.startsWith('llava_avlm/frames['))).toHaveLength(8);
    expect(rows.every((r) => r.ok)).toBe(true);
    const point = rows.find((r) => r.id === 'llava_avlm/frames[vision.input.frames=2,text_tokens=256]');
    expect(point?.sequence_length).toBe(2 * 256 + 1024 + 256);
    expect(point?.params.total).toBe(rows[0].params.total);
    expect(stdout).toMatch(/"flops": \d+,/);
  });

  it('shows failing points with their first error, keeps the others, and exits 1', async () => {
    const file = spec('overflow.mimo', '\ngrid long of llava_avlm { vision.input.frames in [8, 16] }\n');
    const text = await mimo(['variants', file], scratch);
    expect(text.code).toBe(1);
    const failing = text.stdout.split('\n').find((line) => line.startsWith('llava_avlm/long[vision.input.frames=16]'));
    expect(failing).toMatch(/fail: MIMO\d{4} /);
    expect(failing).toContain('overflow.mimo:');
    expect(text.stdout).toMatch(/llava_avlm\/long\[vision\.input\.frames=8\].* ok$/m);
    expect(text.stdout).toContain('1 failing');
    expect(text.stderr).toContain('error');
    const json = JSON.parse((await mimo(['variants', file, '--json'], scratch)).stdout);
    const row = json.rows.find((r: { id: string }) => r.id === 'llava_avlm/long[vision.input.frames=16]');
    expect(row.ok).toBe(false);
    expect(row.error.code).toMatch(/^MIMO\d{4}$/);
    expect(row.error.file).toBe('overflow.mimo');
  });

  it('checks every point even when more than the diagnostic limit fail', async () => {
    const frames = Array.from({ length: 150 }, (_, i) => 17 + i);
    const file = spec('many.mimo', `\ngrid many of llava_avlm { vision.input.frames in [${frames.join(', ')}] }\n`);
    const { code, stdout } = await mimo(['variants', file, '--json'], scratch);
    expect(code).toBe(1);
    const rows = JSON.parse(stdout).rows.filter((r: { id: string }) => r.id.startsWith('llava_avlm/many['));
    expect(rows).toHaveLength(150);
    expect(rows.every((r: { ok: boolean; error?: { code: string } }) => !r.ok && r.error !== undefined)).toBe(true);
  });

  it('prints a Markdown table', async () => {
    const { code, stdout } = await mimo(['variants', 'specs/llava_avlm.mimo', '--markdown'], repo);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('| id | params | trainable | tokens | sequence | FLOPs | weights | memory | status |');
    expect(lines[1]).toBe('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |');
    expect(lines.filter((l) => l.startsWith('| llava_avlm'))).toHaveLength(11);
  });

  it('shows a progress bar on a terminal when there are many points, and only then', async () => {
    const frames = Array.from({ length: 60 }, (_, i) => 1 + (i % 8));
    const texts = Array.from({ length: 60 }, (_, i) => 100 + i);
    const file = spec('bar.mimo', `\nzip bar of llava_avlm { vision.input.frames in [${frames.join(', ')}]  text_tokens in [${texts.join(', ')}] }\n`);
    const tty = await mimo(['variants', file], scratch, true);
    expect(tty.stderr).toMatch(/checking .* \d+\/\d+ points/);
    const pipe = await mimo(['variants', file], scratch, false);
    expect(pipe.code).toBe(0);
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).toBe(tty.stdout);
  });

  it('--json and --markdown together are a usage error', async () => {
    expect((await mimo(['variants', 'specs/llava_avlm.mimo', '--json', '--markdown'], repo)).code).toBe(2);
  });

  it('a missing file exits 2', async () => {
    expect((await mimo(['variants', 'missing.mimo'], scratch)).code).toBe(2);
  });
});
