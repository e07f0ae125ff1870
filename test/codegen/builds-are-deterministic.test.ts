/**
 * Same spec, same bytes: generating twice gives identical files, and two `mimo build` runs into
 * different directories write identical trees.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCode } from '../../compiler/codegen/index.js';
import { runMimo } from '../cli/run-mimo.js';
import { ROOT, specModels } from './helpers.js';

const tmp = join(ROOT, '.tmp', `determinism-${process.pid}`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('deterministic builds', () => {
  it('generateCode twice on the seed gives the same files', async () => {
    const models = await specModels('llava_avlm.mimo');
    const a = generateCode(models, { specPath: 'specs/llava_avlm.mimo' });
    const b = generateCode(await specModels('llava_avlm.mimo'), { specPath: 'specs/llava_avlm.mimo' });
    expect(a.files.map((f) => f.path)).toEqual(['llava_avlm.ts', 'llava_avlm_small.ts', 'llava_avlm_tiny.ts', 'support.ts', 'index.ts']);
    expect(b.files).toEqual(a.files);
  }, 120_000);

  it('two `mimo build` runs write identical trees', async () => {
    for (const out of ['a', 'b']) {
      const run = await runMimo(['build', 'specs/tiny_gpt2.mimo', '-o', join(tmp, out)], { cwd: ROOT });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const a = tree(join(tmp, 'a'));
    expect(Object.keys(a)).toEqual(['index.ts', 'support.ts', 'tiny_gpt2.ts']);
    expect(tree(join(tmp, 'b'))).toEqual(a);
  }, 120_000);
});
