/**
 * The WebGPU plan executor runs in a browser: Node checks and plans specs/tiny_avlm.mimo (LLaMA
 * decoder with CLIP video and BEATs audio: attention, matmuls, norms, convolutions and the zipper),
 * lowers the fused plan to a GpuProgram and computes the plan interpreter's logits; headless
 * Chromium loads a page bundled by esbuild from runtime/webgpu, gets only the program, weights
 * and inputs over HTTP, and runs them with `acquireGpu` (the page's navigator.gpu) and
 * `WebGpuExecutor` on poisoned buffers. Its logits equal the interpreter's within 1e-4 of their
 * scale, from one submit of one dispatch per kernel. Without Chromium the test is skipped, saying
 * how to install it — except under CI=true, where that is a failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { hostInputs, plannedModel, relativeError, testFeeds } from '../plan-exec/harness.js';
import { bundlePage, CHROMIUM_MISSING, CHROMIUM_WEBGPU_ARGS, findChromium, launchChromium, PAGE_HTML, type PageServer, serveFiles, type ServedFile } from './harness.js';
import type { BrowserJob, BrowserRunReport } from './page.js';
import { packTensors } from './tensorPack.js';

const TOLERANCE = 1e-4;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Milliseconds since `start`, rounded for the log. */
const since = (start: number): number => Math.round(performance.now() - start);

describe('the WebGPU plan executor in headless Chromium', () => {
  it('runs tiny_avlm’s fused plan on the page’s own WebGPU adapter to the plan interpreter’s logits within 1e-4', { timeout: 300_000 }, async (ctx) => {
    const executablePath = findChromium();
    if (executablePath === undefined) {
      if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM_MISSING}`);
      ctx.skip(CHROMIUM_MISSING);
    }
    const timings: Record<string, number> = {};

    let start = performance.now();
    const { plan, graph, model } = await plannedModel('specs/tiny_avlm.mimo', 'tiny_avlm');
    const feeds = testFeeds(graph, model, plan, 17);
    const program = lowerPlanToWebGpu(plan);
    const want = interpretPlan(plan, feeds);
    timings.compileAndReferenceMs = since(start);

    start = performance.now();
    const script = await bundlePage();
    timings.bundleMs = since(start);

    const weights = packTensors(feeds.weights);
    const inputs = packTensors(Object.entries(hostInputs(feeds)));
    const job: BrowserJob = { program, weights: weights.index, inputs: inputs.index };
    const files = new Map<string, ServedFile>([
      ['/', { type: 'text/html; charset=utf-8', body: PAGE_HTML }],
      ['/page.js', { type: 'text/javascript; charset=utf-8', body: script }],
      ['/job.json', { type: 'application/json', body: JSON.stringify(job) }],
      ['/weights.bin', { type: 'application/octet-stream', body: weights.body }],
      ['/inputs.bin', { type: 'application/octet-stream', body: inputs.body }],
    ]);
    const server: PageServer = await serveFiles(files);
    cleanups.push(() => server.close());

    start = performance.now();
    const browser = await launchChromium(executablePath as string);
    cleanups.push(() => browser.close());
    timings.launchMs = since(start);
    const page = await browser.newPage();
    const pageLog: string[] = [];
    page.on('console', (message) => pageLog.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => pageLog.push(`pageerror: ${error.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => 'mimoRunJob' in globalThis, undefined, { timeout: 30_000 });

    start = performance.now();
    let report: BrowserRunReport;
    try {
      report = await page.evaluate(() => (globalThis as unknown as { mimoRunJob(): Promise<BrowserRunReport> }).mimoRunJob());
    } catch (error) {
      throw new Error(`the page failed: ${error instanceof Error ? error.message : String(error)}\npage log:\n${pageLog.join('\n')}`);
    }
    timings.pageRunMs = since(start);

    const errors: Record<string, number> = {};
    for (const output of plan.outputs) {
      const expected = want.get(output.name);
      if (expected === undefined) throw new Error(`the interpreter gave no '${output.name}'`);
      const got = report.outputs[output.name];
      expect(got?.data.length, output.name).toBe(expected.data.length);
      errors[output.name] = relativeError(got.data, expected.data);
    }

    console.log(
      `[browser] ${report.userAgent}\n` +
        `[browser] flags: ${CHROMIUM_WEBGPU_ARGS.join(' ')}\n` +
        `[browser] adapter: ${JSON.stringify(report.adapter)} nativeDevice=${report.nativeDevice} timestamps=${report.timestamps}\n` +
        `[browser] ${plan.kernels.length} kernels, ${program.shaders.length} shaders; executor create ${Math.round(report.createMs)} ms, forward ${Math.round(report.forwardMs)} ms` +
        `${report.gpuMs === undefined ? '' : ` (GPU ${report.gpuMs.toFixed(2)} ms)`}\n` +
        `[browser] node-side timings (ms): ${JSON.stringify(timings)}\n` +
        `[browser] max |page − interpreter| / max |interpreter|: ${JSON.stringify(errors)}` +
        (pageLog.length > 0 ? `\n[browser] page log:\n${pageLog.join('\n')}` : ''),
    );

    // A real WebGPU adapter of the browser's own, not Dawn's Node binding.
    expect(report.nativeDevice).toBe(true);
    expect(report.adapter.vendor + report.adapter.architecture).not.toBe('');
    expect(report.userAgent).toMatch(/Chrome\/\d+/);

    expect(report.submits).toBe(1);
    expect(report.dispatches).toBe(plan.kernels.length);
    expect(Object.keys(report.outputs).sort()).toEqual(plan.outputs.map((o) => o.name).sort());
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(TOLERANCE);
  });
});
