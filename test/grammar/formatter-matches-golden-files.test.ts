/**
 * Formatter golden pairs: test/fixtures/format/NAME.input.mimo formats to NAME.output.mimo; the
 * output is a fixed point of the formatter and parses back to the input's tree (spans aside).
 * `UPDATE_GOLDEN=1` rewrites the outputs; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSource, formatText, parseSource } from '../../grammar/index.js';
import { renderDiagnostics, repoRoot, updateGolden, withoutSpans } from './helpers.js';

const folder = join(repoRoot, 'test', 'fixtures', 'format');
const names = readdirSync(folder)
  .filter((name) => name.endsWith('.input.mimo'))
  .map((name) => name.slice(0, -'.input.mimo'.length))
  .sort();

describe('the formatter matches the golden files', () => {
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThan(10);
  });
  for (const name of names) {
    it(name, () => {
      const decoded = decodeSource(new Uint8Array(readFileSync(join(folder, `${name}.input.mimo`))), `${name}.input.mimo`);
      expect(decoded.diagnostics).toEqual([]);
      const formatted = formatText(decoded.text, `${name}.input.mimo`);
      expect(renderDiagnostics(formatted.diagnostics)).toBe('');
      const output = formatted.output ?? '';
      const outputPath = join(folder, `${name}.output.mimo`);
      if (updateGolden || !existsSync(outputPath)) writeFileSync(outputPath, output);
      expect(output).toBe(readFileSync(outputPath, 'utf8'));

      expect(formatText(output, 'again.mimo').output).toBe(output);
      const before = parseSource(decoded.text, 'before.mimo').file;
      const after = parseSource(output, 'after.mimo').file;
      expect(withoutSpans(after)).toEqual(withoutSpans(before));
    });
  }
});
