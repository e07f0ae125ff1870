/**
 * `mimo bench`: on one WebGPU device in one process, the fused plan through our executor and the
 * unfused plan through tfjs-webgpu op by op; `--json` has the documented shape, the plan runs one
 * dispatch per fused kernel and far fewer than tfjs, both agree with the CPU reference, our
 * kernels are tuned for the adapter found unless `--tune` says otherwise; `--backend wasm` compares
 * the tfjs plan executor with op by op on wasm; usage errors and missing backends exit 2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isInstalled } from '../setup/is-installed.js';
import { main } from '../../cli/main.js';
import { adapterClass } from '../../runtime/webgpu/device.js';
import { releaseGpu, testGpu } from '../wgsl/harness.js';

afterAll(releaseGpu);

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

interface Report {
  device: string;
  tuned_for: string;
  results: { executor: string; backend: string; median_ms: number; dispatches: number; peak_bytes: number; max_rel_error: number }[];
  speedup: number;
}

describe('mimo bench', () => {
  it('--json compares the plan executor with tfjs op by op on one device', { timeout: 600_000 }, async () => {
    const planned = await run(['plan', 'specs/tiny_gpt2.mimo', '--seq', '8', '--json']);
    expect(planned.code).toBe(0);
    const kernels = (JSON.parse(planned.out) as { summary: { kernels: number; ops_unfused: number } }).summary;
    const r = await run(['bench', 'specs/tiny_gpt2.mimo', '--seq', '8', '--runs', '10', '--warmup', '1', '--json']);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(typeof report.device).toBe('string');
    expect(report.device.length).toBeGreaterThan(0);
    expect(report.results.map((x) => [x.executor, x.backend])).toEqual([
      ['plan', 'webgpu'],
      ['tfjs-op-by-op', 'webgpu'],
    ]);
    const [plan, tfjs] = report.results;
    expect(plan.dispatches).toBe(kernels.kernels);
    expect(tfjs.dispatches).toBeGreaterThan(plan.dispatches);
    for (const x of report.results) {
      expect(x.median_ms).toBeGreaterThan(0);
      expect(x.peak_bytes).toBeGreaterThan(0);
      expect(x.max_rel_error).toBeLessThan(1e-4);
    }
    expect(report.speedup).toBeCloseTo(tfjs.median_ms / plan.median_ms, 10);
    // Auto-tuning follows the adapter (on lavapipe, a fallback adapter: the CPU kernels).
    expect(report.tuned_for).toBe(adapterClass((await testGpu()).ctx.adapter));
  });

  it('--tune gpu lowers for a GPU on any adapter (same numbers, other tiles)', { timeout: 600_000 }, async () => {
    const r = await run(['bench', 'specs/tiny_gpt2.mimo', '--seq', '8', '--runs', '10', '--warmup', '1', '--tune', 'gpu', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.tuned_for).toBe('gpu');
    expect(report.results[0].max_rel_error).toBeLessThan(1e-4);
    expect((await run(['bench', 'specs/tiny_gpt2.mimo', '--tune', 'fpga'])).code).toBe(2);
  });

  it('--backend wasm compares the tfjs plan executor with op by op on that backend', { timeout: 600_000 }, async () => {
    const r = await run(['bench', 'specs/tiny_avlm.mimo', '--backend', 'wasm', '--decode', '--runs', '10', '--warmup', '1', '--json']);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.device).toContain('tfjs-backend-wasm');
    expect('tuned_for' in report).toBe(false);
    expect(report.results.map((x) => [x.executor, x.backend])).toEqual([
      ['plan', 'wasm'],
      ['tfjs-op-by-op', 'wasm'],
    ]);
    for (const x of report.results) {
      expect(x.median_ms).toBeGreaterThan(0);
      expect(x.dispatches).toBeGreaterThan(0);
      expect(x.peak_bytes).toBeGreaterThan(0);
      expect(x.max_rel_error).toBeLessThan(1e-4);
    }
    expect(report.speedup).toBeCloseTo(report.results[1].median_ms / report.results[0].median_ms, 10);
  });

  it('--backend tensorflow without tfjs-node says how to install it (exit 2)', async (test) => {
    if (isInstalled('@tensorflow/tfjs-node') || isInstalled('@tensorflow/tfjs-node-gpu')) test.skip();
    const r = await run(['bench', 'specs/tiny_gpt2.mimo', '--backend', 'tensorflow']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/npm install @tensorflow\/tfjs-node/);
  });

  it('rejects fewer than 10 timed runs and a missing spec (exit 2)', async () => {
    expect((await run(['bench', 'specs/tiny_gpt2.mimo', '--runs', '3'])).code).toBe(2);
    expect((await run(['bench'])).code).toBe(2);
  });
});
