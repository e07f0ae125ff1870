/**
 * `mimo plan`: the table, --json with the summary fields, -o plan.json and --html written
 * atomically, --read of a good and a broken plan, --decode, --schema, and the errors (a prompt
 * over the context: exit 1 with a span; an unknown target: exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

function capture(): { write: (t: string) => void; isTTY: boolean; text: () => string } {
  let text = '';
  return { write: (t) => void (text += t), isTTY: false, text: () => text };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(argv, { stdout: out, stderr: err, cwd: process.cwd(), env: {} });
  return { code, out: out.text(), err: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'mimo-plan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mimo plan', () => {
  it('prints ops and kernels, bytes, the arena against no reuse and the lower bound, and time by class', async () => {
    const r = await run(['plan', 'specs/tiny_avlm.mimo', '--target', 'l4']);
    expect(r.code).toBe(0);
    for (const text of ['ops → kernels', 'bytes moved', 'estimated time', 'arena (planned)', 'no reuse', 'lower bound', 'Time by kernel class', 'attention', 'NVIDIA L4']) expect(r.out).toContain(text);
  });

  it('--json has the summary fields; -o and --html write the plan and a self-contained page', async () => {
    const planFile = join(dir, 'plan.json');
    const htmlFile = join(dir, 'plan.html');
    const r = await run(['plan', 'specs/tiny_avlm.mimo', '--json', '--batch', '2', '--seq', '16', '-o', planFile, '--html', htmlFile]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { summary: Record<string, number>; bindings: { batch: number; text: number } };
    for (const key of ['ops_unfused', 'kernels', 'bytes_unfused', 'bytes_fused', 'arena_bytes', 'naive_bytes', 'lower_bound_bytes', 'estimated_ms']) expect(typeof json.summary[key]).toBe('number');
    expect(json.bindings).toMatchObject({ batch: 2, text: 16 });
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { summary: unknown };
    expect(plan.summary).toEqual(json.summary);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
    const back = await run(['plan', '--read', planFile, '--json']);
    expect(back.code).toBe(0);
    expect((JSON.parse(back.out) as { summary: unknown }).summary).toEqual(json.summary);
  });

  it('plans one decode step with a KV cache', async () => {
    const r = await run(['plan', 'specs/tiny_avlm.mimo', '--decode', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { mode: string; summary: { kv_cache_bytes: number }; bindings: { queries: number; past: number } };
    expect(json.mode).toBe('decode');
    expect(json.bindings.queries).toBe(1);
    expect(json.summary.kv_cache_bytes).toBeGreaterThan(0);
  });

  it('reports a broken plan file as a diagnostic with its line (exit 1)', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, readFileSync(join(dir, 'plan.json'), 'utf8').replace('"mode": "prefill"', '"mode": "sideways"'));
    const r = await run(['plan', '--read', broken]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('MIMO4102');
    expect(r.err).toMatch(/broken\.json:\d+:\d+/);
  });

  it('says when the prompt does not fit the context (exit 1, with the context line)', async () => {
    const r = await run(['plan', 'specs/tiny_avlm.mimo', '--seq', '500']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('MIMO4101');
    expect(r.err).toContain('context 256');
  });

  it('refuses an unknown target (exit 2) and prints the schema', async () => {
    expect((await run(['plan', 'specs/tiny_avlm.mimo', '--target', 'tpu'])).code).toBe(2);
    const schema = await run(['plan', '--schema']);
    expect(JSON.parse(schema.out).$id).toBe('urn:mimo:plan:v1');
  });
});
