/** A 5 MB spec (the specs repeated) parses completely and without diagnostics; size is no error. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../grammar/index.js';
import { renderDiagnostics, specFiles } from './helpers.js';

describe('a 5 MB file', () => {
  it('parses to every declaration with no diagnostics', { timeout: 180_000 }, () => {
    const specs = specFiles().map((file) => readFileSync(file, 'utf8'));
    const perCopy = specs.join('\n').match(/^(model|variant|grid|zip|import|assert)\b/gm)?.length ?? 0;
    const copies: string[] = [];
    let length = 0;
    for (let i = 0; length < 5_000_000; i++) {
      const copy = specs.join('\n').replace(/\b(model|variant|grid|zip) (\w+)/g, `$1 $2_${i}`);
      copies.push(copy);
      length += copy.length;
    }
    const bytes = new TextEncoder().encode(copies.join('\n'));
    expect(bytes.length).toBeGreaterThanOrEqual(5_000_000);
    const result = parseFile(bytes, 'large.mimo');
    expect(renderDiagnostics(result.diagnostics)).toBe('');
    expect(result.file.declarations).toHaveLength(perCopy * copies.length);
    const last = result.file.declarations[result.file.declarations.length - 1];
    expect(last.span.endOffset).toBeLessThanOrEqual(result.file.text.length);
    expect(last.span.line).toBeGreaterThan(100_000);
  });
});
