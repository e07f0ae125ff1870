import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../compiler/pipeline.js';
import { fixturesDir, problems, run } from '../check/harness.js';

describe('an import cycle', () => {
  it('is reported once, naming every file and every import in it', async () => {
    const root = join(fixturesDir, 'resolve', 'cycle');
    const result = await runPipeline(['a.mimo'], { root, cwd: root });
    expect(problems(result)).toEqual(['MIMO2004 2:1 import cycle: `a.mimo` -> `b.mimo` -> `sub/c.mimo` -> `a.mimo`']);
    const d = result.diagnostics[0];
    expect(d.span?.file).toBe('sub/c.mimo');
    expect(d.related.map((r) => `${r.span.file}:${r.span.line} ${r.message}`)).toEqual([
      'a.mimo:1 `a.mimo` imports `b.mimo` here',
      'b.mimo:1 `b.mimo` imports `sub/c.mimo` here',
    ]);
    // The declarations are still usable.
    expect(result.models.map((m) => m.id)).toEqual(['a_model']);
  });

  it('includes a file that imports itself', async () => {
    const result = await run({ 'a.mimo': 'import "a.mimo"\n' });
    expect(problems(result)).toEqual(['MIMO2004 1:1 import cycle: `a.mimo` -> `a.mimo`']);
  });
});
