/**
 * build, plan, run and bench choose their model the same way (cli/commands/pick-model.ts): a spec
 * without a model is MIMO0021 with exit 1, a misspelt `--model` is MIMO0020 with a suggestion and
 * exit 2, and a sweep point named by `--model` is found (the sweep is expanded for it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo } from './run-mimo.js';

const dir = mkdtempSync(join(tmpdir(), 'mimo-pick-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'none.mimo'), '# a spec with no model\n');
// tiny_gpt2 with a sweep over its depth.
const tinyGpt2 = readFileSync(fileURLToPath(new URL('../../specs/tiny_gpt2.mimo', import.meta.url)), 'utf8');
writeFileSync(join(dir, 'swept.mimo'), `${tinyGpt2}\ngrid depth of tiny_gpt2 {\n  decoder.layers in [1, 2]\n}\n`);

const commands: readonly (readonly string[])[] = [['build', '-o', join(dir, 'out')], ['plan'], ['run'], ['bench']];

describe('commands that work on a model', () => {
  for (const command of commands) {
    it(`${command[0]}: a spec with no model is MIMO0021 and exit 1`, async () => {
      const run = await runMimo([command[0], 'none.mimo', ...command.slice(1)], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error[MIMO0021]: `none.mimo` declares no model');
      expect(run.stderr).toContain('add a `model` declaration');
    });

    it(`${command[0]}: a misspelt --model is MIMO0020 with a suggestion and exit 2`, async () => {
      const run = await runMimo([command[0], 'swept.mimo', '--model', 'tiny_gtp2', ...command.slice(1)], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error[MIMO0020]: no model `tiny_gtp2` in `swept.mimo`');
      expect(run.stderr).toContain('did you mean `tiny_gpt2`?');
    });
  }

  it('plan finds a sweep point named by --model', async () => {
    const run = await runMimo(['plan', 'swept.mimo', '--model', 'tiny_gpt2/depth[decoder.layers=1]', '--json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ model: 'tiny_gpt2/depth[decoder.layers=1]' });
  });
});
