import { describe, expect, it } from 'vitest';
import { runMimo } from './run-mimo.js';

describe('mimo check --set', () => {
  it('checks the spec with the override applied and points at the --set text', async () => {
    const run = await runMimo(['check', 'specs/llava_avlm.mimo', '--set', 'decoder.hidden=4000', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; related: { span: { file: string } }[] }[] };
    const rope = report.diagnostics.find((d) => d.code === 'MIMO3013');
    expect(rope).toBeDefined();
    expect(rope?.related.map((r) => r.span.file)).toContain('<--set 1>');
  });

  it('suggests the field a misspelled --set path meant', async () => {
    const run = await runMimo(['check', 'specs/llava_avlm.mimo', '--set', 'decoder.hiden=4096']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('did you mean `hidden`?');
  });

  it('stays clean when the override keeps the model consistent', async () => {
    const run = await runMimo(['check', 'specs/llava_avlm.mimo', '--set', 'decoder.layers=24']);
    expect(run.stdout).toContain('no problems found');
    expect(run.code).toBe(0);
  });
});
