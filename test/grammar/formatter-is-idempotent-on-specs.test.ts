/**
 * Every spec in specs/ (found at test time, so specs added later are covered) parses without
 * diagnostics, formats to a fixed point, and its formatted text parses back to the same tree.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText, parseFile, parseSource } from '../../grammar/index.js';
import { renderDiagnostics, repoRoot, specFiles, withoutSpans } from './helpers.js';

describe('the formatter is idempotent on every spec', () => {
  const files = specFiles();
  it('finds the specs', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    const name = relative(repoRoot, file);
    it(name, () => {
      const parsed = parseFile(new Uint8Array(readFileSync(file)), name);
      expect(renderDiagnostics(parsed.diagnostics)).toBe('');
      const once = formatText(parsed.file.text, name).output;
      expect(once).toBeDefined();
      const twice = formatText(once ?? '', name).output;
      expect(twice).toBe(once);
      expect(withoutSpans(parseSource(once ?? '', name).file)).toEqual(withoutSpans(parsed.file));
    });
  }
});
