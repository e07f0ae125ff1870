/**
 * The generated code for specs/tiny_avlm.mimo is reviewed as a text diff: it must equal the
 * golden files in golden/ byte for byte. `UPDATE_GOLDEN=1 npx vitest run test/codegen` rewrites
 * them after an intended change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCode } from '../../compiler/codegen/index.js';
import { specModels } from './helpers.js';

const GOLDEN = join(import.meta.dirname, 'golden');

describe('golden generated code for specs/tiny_avlm.mimo', () => {
  it('every file equals its golden copy', async () => {
    const result = generateCode(await specModels('tiny_avlm.mimo'), { specPath: 'specs/tiny_avlm.mimo' });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['tiny_avlm.ts', 'support.ts', 'index.ts']);
    for (const f of result.files) {
      const golden = join(GOLDEN, `${f.path}.golden`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, f.text);
      expect(f.text, `${f.path} differs from ${golden}; rerun with UPDATE_GOLDEN=1 if the change is intended`).toBe(readFileSync(golden, 'utf8'));
    }
  });
});
