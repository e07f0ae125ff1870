/**
 * Golden files: every test/fixtures/syntax/NAME.mimo is parsed from its bytes and its diagnostics
 * must equal NAME.expected.txt. `UPDATE_GOLDEN=1 npx vitest run test/grammar` rewrites the
 * expectations; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../grammar/index.js';
import { renderDiagnostics, repoRoot, updateGolden } from './helpers.js';

const folder = join(repoRoot, 'test', 'fixtures', 'syntax');
const names = readdirSync(folder)
  .filter((name) => name.endsWith('.mimo'))
  .map((name) => name.slice(0, -'.mimo'.length))
  .sort();

describe('syntax diagnostics match the golden files', () => {
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThan(20);
  });
  for (const name of names) {
    it(name, () => {
      const bytes = readFileSync(join(folder, `${name}.mimo`));
      const { diagnostics } = parseFile(new Uint8Array(bytes), `${name}.mimo`);
      const actual = renderDiagnostics(diagnostics);
      const expectedPath = join(folder, `${name}.expected.txt`);
      if (updateGolden || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
});
