/**
 * `mimo run --plan --backend webgpu` runs the plan as generated WGSL through the WebGPU executor
 * (one command stream from one arena) and gives the next-token logits of the generated model on
 * wasm, for the same seeded weights, prompt and media. Needs a WebGPU adapter (lavapipe in CI).
 */
import { describe, expect, it } from 'vitest';
import { runMimo } from '../cli/run-mimo.js';
import { ROOT, relativeError } from '../plan-exec/harness.js';

interface RunReport {
  readonly path: string;
  readonly executor: string;
  readonly output: { readonly shape: number[] };
  readonly top5: { readonly id: number; readonly logit: number }[];
  readonly kernels?: number;
}

async function runJson(args: string[]): Promise<RunReport> {
  const r = await runMimo(['run', ...args, '--json'], { cwd: ROOT });
  if (r.code !== 0) throw new Error(`mimo run ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunReport;
}

describe('mimo run --plan --backend webgpu', () => {
  it('runs the fused plan as WGSL to the logits of the generated model on wasm', async () => {
    const reference = await runJson(['specs/tiny_gpt2.mimo', '--seed', '3']);
    const gpu = await runJson(['specs/tiny_gpt2.mimo', '--seed', '3', '--plan', '--backend', 'webgpu']);
    expect(gpu.path).toBe('plan');
    expect(gpu.executor).toContain('WGSL');
    expect(gpu.output.shape).toEqual(reference.output.shape);
    expect(gpu.top5.map((t) => t.id)).toEqual(reference.top5.map((t) => t.id));
    expect(relativeError(gpu.top5.map((t) => t.logit), reference.top5.map((t) => t.logit))).toBeLessThan(1e-4);
    expect(gpu.kernels).toBeGreaterThan(0);
  });
});
