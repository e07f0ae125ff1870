import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../compiler/pipeline.js';
import { fixturesDir, line, problems, run } from '../check/harness.js';

const resolveFixtures = join(fixturesDir, 'resolve');
const decoder = 'model m {\n  decoder gpt2("small")\n}\n';

describe('imports', () => {
  it('follow paths relative to the importing file and read every file once, in load order', async () => {
    const root = join(resolveFixtures, 'project');
    const result = await runPipeline(['main.mimo'], { root, cwd: root });
    expect(result.diagnostics.map(line)).toEqual([]);
    expect([...result.sources.keys()].filter((k) => !k.startsWith('mimo:'))).toEqual(['main.mimo', 'common/decoders.mimo', 'common/heads.mimo']);
    expect(result.models.map((m) => m.id)).toEqual(['captioner', 'small_lm', 'head_only']);
  });

  it('read a file imported twice only once', async () => {
    const result = await run({ 'a.mimo': 'import "b.mimo"\nimport "c.mimo"\n', 'b.mimo': 'import "d.mimo"\n', 'c.mimo': 'import "d.mimo"\n', 'd.mimo': decoder });
    expect(problems(result)).toEqual([]);
    expect(result.models.map((m) => m.id)).toEqual(['m']);
    expect([...result.sources.keys()].filter((k) => !k.startsWith('mimo:'))).toEqual(['a.mimo', 'b.mimo', 'd.mimo', 'c.mimo']);
  });

  it('may not climb out of the root with ..', async () => {
    const root = join(resolveFixtures, 'escape');
    const result = await runPipeline(['main.mimo'], { root, cwd: root });
    expect(problems(result)).toEqual([`MIMO2002 1:8 cannot import \`../outside.mimo\`: it is outside the project root \`${root}\``]);
    // The rest of the file is still checked.
    expect(result.models.map((m) => m.id)).toEqual(['inside']);
  });

  it('may not be absolute', async () => {
    const result = await run({ 'a.mimo': 'import "/etc/hosts"\n' + decoder });
    expect(problems(result)).toEqual(['MIMO2026 1:8 cannot import `/etc/hosts`: imports must be relative paths']);
  });

  it('report a missing file and a directory at the import', async () => {
    const result = await run({ 'a.mimo': 'import "nope.mimo"\nimport "sub"\n' + decoder, 'sub/x.mimo': '' });
    expect(problems(result)).toEqual(['MIMO2001 1:8 cannot import `nope.mimo`: no such file', 'MIMO2003 2:8 cannot import `sub`: it is a directory']);
  });

  describe('through symbolic links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimo-imports-'));
    const root = join(dir, 'project');
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'secret.mimo'), decoder.replace('model m', 'model secret'));
    writeFileSync(join(root, 'lib', 'real.mimo'), decoder.replace('model m', 'model real'));
    symlinkSync(join(dir, 'secret.mimo'), join(root, 'escape.mimo'));
    symlinkSync(join(root, 'lib', 'real.mimo'), join(root, 'inside.mimo'));
    writeFileSync(join(root, 'main.mimo'), 'import "escape.mimo"\nimport "inside.mimo"\n');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuse a link whose target is outside the root, and follow one inside', async () => {
      const result = await runPipeline(['main.mimo'], { root, cwd: root });
      expect(problems(result)).toEqual([`MIMO2002 1:8 cannot import \`escape.mimo\`: it is outside the project root \`${root}\``]);
      expect(result.diagnostics[0].help).toContain('symbolic link');
      expect(result.models.map((m) => m.id)).toEqual(['real']);
    });
  });

  it('report an entry file that does not exist as an I/O error', async () => {
    const result = await run({ 'a.mimo': decoder }, { entries: ['missing.mimo'] });
    expect(problems(result)).toEqual(['MIMO0001 1:1 cannot read `missing.mimo`: no such file']);
    expect(result.models).toEqual([]);
  });
});
