/**
 * `mimo run`: the generated model (op by op) and the fused plan (`--plan`, the tfjs plan executor)
 * give the same next-token logits for the same seeded weights, prompt and media; `--weights` reads
 * a safetensors checkpoint; `--prompt` takes ids and placeholders; bad prompts, weights and
 * backends are usage errors (exit 2) with a diagnostic, never a stack trace.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededWeights, smallestModel } from '../../cli/commands/run.js';
import { buildGraph } from '../../compiler/ir/index.js';
import { runPipeline } from '../../compiler/pipeline.js';
import * as rt from '../../runtime/index.js';
import { runMimo } from '../cli/run-mimo.js';
import { ROOT, relativeError } from './harness.js';

interface RunReport {
  readonly model: string;
  readonly path: string;
  readonly prompt: { readonly ids: number[]; readonly text_tokens: number; readonly expanded_length: number };
  readonly output: { readonly shape: number[] };
  readonly top5: { readonly id: number; readonly logit: number }[];
  readonly kernels?: number;
  readonly finite: boolean;
}

async function runJson(args: string[]): Promise<RunReport> {
  const r = await runMimo(['run', ...args, '--json'], { cwd: ROOT });
  if (r.code !== 0) throw new Error(`mimo run ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunReport;
}

describe('mimo run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mimo-run-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['specs/tiny_avlm.mimo', 'tiny_avlm'],
    ['specs/tiny_gpt2.mimo', 'tiny_gpt2'],
  ])('runs %s op by op and as a fused plan to the same logits', async (spec, id) => {
    const opByOp = await runJson([spec, '--seed', '4']);
    const fused = await runJson([spec, '--seed', '4', '--plan']);
    expect([opByOp.model, fused.model]).toEqual([id, id]);
    expect([opByOp.path, fused.path]).toEqual(['op-by-op', 'plan']);
    expect(fused.output.shape).toEqual(opByOp.output.shape);
    expect(fused.prompt).toEqual(opByOp.prompt);
    expect(fused.top5.map((t) => t.id)).toEqual(opByOp.top5.map((t) => t.id));
    expect(relativeError(fused.top5.map((t) => t.logit), opByOp.top5.map((t) => t.logit))).toBeLessThan(1e-4);
    expect(fused.kernels).toBeGreaterThan(0);
    expect(fused.finite && opByOp.finite).toBe(true);
  });

  it('takes a prompt of ids and placeholders and expands each placeholder to its sense', async () => {
    const report = await runJson(['specs/tiny_avlm.mimo', '--plan', '--prompt', '1, <video> 7 <audio> 9 10']);
    expect(report.prompt.ids).toEqual([1, 256, 7, 257, 9, 10]);
    expect(report.prompt.text_tokens).toBe(4);
    expect(report.prompt.expanded_length).toBe(4 + 32 + 18);
    expect(report.output.shape).toEqual([1, 54, 258]);
  });

  it('reads weights from a safetensors file: the same tensors give the same logits', async () => {
    const { models } = await runPipeline([join(ROOT, 'specs/tiny_gpt2.mimo')], { root: ROOT, cwd: ROOT });
    const graph = buildGraph(models[0]).graph;
    if (graph === undefined) throw new Error('no graph');
    const file = join(dir, 'tiny_gpt2.safetensors');
    const weights = seededWeights(rt, graph, 8);
    await rt.writeSafetensorsFile(file, new Map([...weights].map(([name, data]) => [name, { shape: graph.weights.find((w) => w.name === name)?.shape ?? [], data }])));
    const seeded = await runJson(['specs/tiny_gpt2.mimo', '--seed', '8', '--plan']);
    const loaded = await runJson(['specs/tiny_gpt2.mimo', '--seed', '8', '--plan', '--weights', file]);
    expect(loaded.top5).toEqual(seeded.top5);
  });

  it.each([
    [['--prompt', '<image> <image> 5'], 'MIMO0030', 'appears 2 times'],
    [['--prompt', '5 6 7'], 'MIMO0030', 'appears 0 times'],
    [['--prompt', '<image> hello'], 'MIMO0030', '`hello` is neither a token id nor a placeholder'],
    [['--prompt', '<image> 99999'], 'MIMO0030', 'outside the vocabulary'],
    [['--weights', 'no/such/file.safetensors'], 'MIMO0001', 'no such file'],
    [['--model', 'tiny_gtp2'], 'MIMO0020', 'did you mean `tiny_gpt2`'],
  ])('rejects %j with %s (exit 2)', async (args, code, text) => {
    const r = await runMimo(['run', 'specs/tiny_gpt2.mimo', '--plan', ...args], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a checkpoint that lacks a tensor the model reads', async () => {
    const file = join(dir, 'partial.safetensors');
    await rt.writeSafetensorsFile(file, new Map([['language_model.lm_head.weight', { shape: [2], data: new Float32Array(2) }]]));
    const r = await runMimo(['run', 'specs/tiny_gpt2.mimo', '--weights', file], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MIMO0031');
  });

  it('reports a backend that cannot start here as a usage error', async () => {
    const require = createRequire(import.meta.url);
    const installed = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((pkg) => {
      try {
        require.resolve(pkg);
        return true;
      } catch {
        return false;
      }
    });
    const r = await runMimo(['run', 'specs/tiny_gpt2.mimo', '--plan', '--backend', 'tensorflow'], { cwd: ROOT });
    if (installed) expect(r.code).toBe(0);
    else {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('MIMO0032');
      expect(r.stderr).toContain('npm install @tensorflow/tfjs-node');
    }
  });

  it('runs the smallest model of a spec when --model is not given', async () => {
    const { models } = await runPipeline([join(ROOT, 'specs/llava_avlm.mimo')], { root: ROOT, cwd: ROOT });
    expect(smallestModel(models)?.id).toBe('llava_avlm/tiny');
  });
});
