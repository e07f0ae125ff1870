/**
 * `mimo demo` (what `npm start` runs): checks the spec, prints stats, writes the generated code
 * and the safetensors weights, and runs the tiny model with its own generated code: output shape,
 * timings, finite top-5 ids that repeat for a seed and change with another.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMimo } from '../cli/run-mimo.js';
import { ROOT } from '../codegen/helpers.js';

const tmp = join(ROOT, '.tmp', `demo-${process.pid}`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function top5(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith('top-5 next-token ids: '));
  if (line === undefined) throw new Error(`no top-5 line in:\n${stdout}`);
  return line;
}

describe('mimo demo', () => {
  it('on specs/tiny_avlm.mimo: same seed, same top-5; another seed, other logits', async () => {
    const args = ['demo', '--spec', 'specs/tiny_avlm.mimo', '--runs', '2', '--backend', 'wasm'];
    const a = await runMimo([...args, '--out', join(tmp, 'a')], { cwd: ROOT });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('1 models checked (tiny_avlm): 0 errors, 0 warnings, 0 notes');
    expect(a.stdout).toMatch(/tiny_avlm\s+186,756\s+186,756\s+32\s+18\s+82 /);
    expect(a.stdout).toContain('tiny_avlm.ts  TinyAvlm: ');
    expect(a.stdout).toContain('prompt: 14 ids: [1, ');
    expect(a.stdout).toContain('vision: 2 random 32x32 frames → clip_vit input [1, 2, 3, 32, 32]');
    expect(a.stdout).toContain('audio: 1.5 s synthesized chord at 16000 Hz → BEATs fbank → beats input [1, 148, 32]');
    expect(a.stdout).toContain('output: next-token logits [1, 258] after 62 zipped positions (12 text + 32 vision + 18 audio)');
    expect(a.stdout).toMatch(/forward: \d+ ms, \d+ ms/);
    expect(top5(a.stdout)).toMatch(/^top-5 next-token ids: (\d+ \(-?\d+\.\d{4}\)(, )?){5}$/);
    expect(existsSync(join(tmp, 'a', 'tiny_avlm.ts'))).toBe(true);
    expect(existsSync(join(tmp, 'a', 'tiny_avlm.safetensors'))).toBe(true);

    const b = await runMimo([...args, '--out', join(tmp, 'b')], { cwd: ROOT });
    expect(top5(b.stdout)).toBe(top5(a.stdout));
    expect(readFileSync(join(tmp, 'b', 'tiny_avlm.ts'), 'utf8')).toBe(readFileSync(join(tmp, 'a', 'tiny_avlm.ts'), 'utf8'));

    const c = await runMimo([...args, '--seed', '7', '--out', join(tmp, 'c')], { cwd: ROOT });
    expect(c.code).toBe(0);
    expect(top5(c.stdout)).not.toBe(top5(a.stdout));
  }, 300_000);

  it('the default run: the seed spec, all three models built, the tiny variant run', async () => {
    const run = await runMimo(['demo', '--runs', '1', '--out', join(tmp, 'seed')], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('== check specs/llava_avlm.mimo');
    expect(run.stdout).toContain('3 models checked (llava_avlm, llava_avlm/small, llava_avlm/tiny)');
    for (const f of ['llava_avlm.ts', 'llava_avlm_small.ts', 'llava_avlm_tiny.ts', 'support.ts', 'index.ts', 'llava_avlm_tiny.safetensors']) expect(existsSync(join(tmp, 'seed', f)), f).toBe(true);
    expect(run.stdout).toContain('== run llava_avlm/tiny (LlavaAvlmTiny');
    expect(run.stdout).toContain('vision: 8 random 224x224 frames → clip_vit input [1, 8, 3, 224, 224]');
    expect(run.stdout).toContain('audio: 20.5 s synthesized chord at 16000 Hz → BEATs fbank → beats input [1, 2048, 128]');
    expect(run.stdout).toContain('output: next-token logits [1, 32002] after 3084 zipped positions (12 text + 2048 vision + 1024 audio)');
    expect(top5(run.stdout)).not.toContain('non-finite');
  }, 600_000);

  it('an unavailable backend is a usage error with the reason, not a crash', async () => {
    const run = await runMimo(['demo', '--spec', 'specs/tiny_avlm.mimo', '--backend', 'tensorflow', '--runs', '1', '--out', join(tmp, 'tf')], { cwd: ROOT });
    if (run.code === 0) return; // tfjs-node happens to be installed here
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mimo demo: backend `tensorflow` is not available');
    expect(run.stderr).not.toContain('    at ');
  }, 300_000);
});
