/**
 * `mimo stats`: the seed spec's parameters, tokens, sequence length, FLOPs and memory, as a table
 * and as JSON whose counts are exact integers; --model, --set and --batch; exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo, type MimoRun } from './run-mimo.js';
import { analyzeModel } from '../../compiler/analyze/index.js';
import { runPipeline } from '../../compiler/pipeline.js';

const repo = resolve(import.meta.dirname, '../..');
const seed = 'specs/llava_avlm.mimo';

function mimo(args: string[], cwd = repo): Promise<MimoRun> {
  return runMimo(args, { cwd });
}

const scratch = mkdtempSync(join(tmpdir(), 'mimo-stats-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mimo stats', () => {
  it('prints the seed model as JSON with exact integer counts', async () => {
    const { code, stdout, stderr } = await mimo(['stats', seed, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.id).toBe('llava_avlm');
    expect(typeof json.params.total).toBe('number');
    expect(json.params.total).toBe(json.params.trainable + json.params.frozen);
    expect(json.params.by_module['decoder']).toBeGreaterThan(6_738_000_000);
    expect(json.tokens.by_sense).toEqual({ vision: 2048, audio: 1024 });
    expect(json.tokens.text).toBe(512);
    expect(json.sequence_length).toBe(3584);
    expect(json.memory.dtype).toBe('bfloat16');
    expect(json.memory.weights).toBe(2 * json.params.total);
    // The raw text holds bare integers, never quoted ones.
    expect(stdout).toMatch(/"total": \d+,/);
    expect(stdout).not.toMatch(/"total": "/);
  });

  it('prints counts above 2^53 exactly', async () => {
    // A million-token prompt: about 2 x 7e9 x 1e6 FLOPs, past 2^53 = 9.007e15.
    const set = ['--set', 'decoder.context=1048576', '--set', 'text_tokens=1000000'];
    const { code, stdout } = await mimo(['stats', seed, ...set, '--json']);
    expect(code).toBe(0);
    const expected = analyzeModel((await runPipeline([seed], { root: repo, cwd: repo, overrides: set.filter((a) => a !== '--set') })).models[0]);
    expect(expected.flops.flops > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const flops = /"flops": \{\s*"total": (\d+)/.exec(stdout)?.[1];
    expect(flops).toBe(expected.flops.flops.toString());
  });

  it('prints a readable table with every section', async () => {
    const { code, stdout } = await mimo(['stats', seed]);
    expect(code).toBe(0);
    for (const heading of ['Parameters', 'Tokens', 'Layout of', 'FLOPs', 'Memory (bfloat16, batch 1, sequence 3,584)']) {
      expect(stdout).toContain(heading);
    }
    expect(stdout).toMatch(/\[0, 2048\)\s+vision\s+2,048\s+<video>/);
    expect(stdout).toMatch(/\[2048, 3072\)\s+audio\s+1,024\s+<audio>/);
  });

  it('--model picks a variant, --set overrides a field, --batch scales the KV cache', async () => {
    const small = JSON.parse((await mimo(['stats', seed, '--model', 'llava_avlm/small', '--json'])).stdout);
    const base = JSON.parse((await mimo(['stats', seed, '--json'])).stdout);
    expect(small.id).toBe('llava_avlm/small');
    expect(small.params.by_module['decoder']).toBeLessThan(base.params.by_module['decoder']);
    const set = JSON.parse((await mimo(['stats', seed, '--set', 'text_tokens=256', '--json'])).stdout);
    expect(set.sequence_length).toBe(3328);
    const batched = JSON.parse((await mimo(['stats', seed, '--batch', '4', '--json'])).stdout);
    expect(batched.memory.kv_cache).toBe(4 * base.memory.kv_cache);
  });

  it('--prompt lays out the placeholders in the order the prompt has them', async () => {
    const { code, stdout } = await mimo(['stats', seed, '--prompt', '<audio> <video> What instrument is playing?', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).layout.spans).toEqual([
      { kind: 'sense', name: 'audio', start: 0, end: 1024, count: 1024 },
      { kind: 'sense', name: 'vision', start: 1024, end: 3072, count: 2048 },
      { kind: 'text', name: 'What instrument is playing?', start: 3072, end: 3584, count: 512 },
    ]);
  });

  it('--model can name a sweep point', async () => {
    const { code, stdout } = await mimo(['stats', seed, '--model', 'llava_avlm/frames[vision.input.frames=4,text_tokens=256]', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tokens.by_sense.vision).toBe(1024);
  });

  it('an unknown --model is a usage error with a suggestion', async () => {
    const { code, stdout, stderr } = await mimo(['stats', seed, '--model', 'llava_avlm/smal']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('MIMO0020');
    expect(stderr).toContain('did you mean `llava_avlm/small`?');
  });

  it('a bad --batch is a usage error', async () => {
    expect((await mimo(['stats', seed, '--batch', '0'])).code).toBe(2);
    expect((await mimo(['stats', seed, '--batch', 'two'])).code).toBe(2);
  });

  it('a missing file exits 2 and a spec with errors exits 1', async () => {
    expect((await mimo(['stats', 'no/such/file.mimo'])).code).toBe(2);
    const bad = join(scratch, 'bad.mimo');
    writeFileSync(bad, 'model m {\n  decoder llama("llama-2-7b") { hidden 4095 }\n}\n');
    const { code, stdout, stderr } = await mimo(['stats', bad], scratch);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('error');
  });
});
