/**
 * The executor's contract: a plan lowers to one arena buffer plus weights and state; a forward is
 * exactly one queue submit carrying one dispatch per plan kernel (counted on the device); layers
 * with equal shapes share compiled pipelines; input and program mistakes are clear errors; the
 * zipper's routing table is rebuilt from each forward's ids (and mismatched prompts rejected);
 * `readOutputs` leaves a decode step's KV caches on the device (a smaller staging buffer) while
 * `read()` still fetches them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import type { PlanBindings } from '../../compiler/plan/types.js';
import { elementwiseKernel } from '../../compiler/wgsl/elementwise.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { WebGpuExecutor, GpuProgramError } from '../../runtime/webgpu/executor.js';
import { countDeviceWork } from '../../runtime/webgpu/instrument.js';
import { PipelineCache } from '../../runtime/webgpu/pipelines.js';
import type { GpuProgram } from '../../runtime/webgpu/program.js';
import { ZipperMismatchError } from '../../runtime/webgpu/zipRoutes.js';
import { randomFeeds } from '../plan/harness.js';
import { graphOf, llamaOnly, tinyAvlm } from '../plan/models.js';
import { releaseGpu, testGpu } from '../wgsl/harness.js';

afterAll(releaseGpu);

function feedsOf(program: GpuProgram, inputs: ReadonlyMap<string, { data: ArrayLike<number> }>): Record<string, Float32Array | Int32Array> {
  const feed: Record<string, Float32Array | Int32Array> = {};
  for (const io of program.inputs) {
    const t = inputs.get(io.name);
    if (t === undefined) throw new Error(`no feed ${io.name}`);
    feed[io.name] = io.dtype === 'i32' ? Int32Array.from(t.data) : Float32Array.from(t.data);
  }
  return feed;
}

describe('WebGpuExecutor', () => {
  it('runs a llama plan as one submit of one dispatch per kernel, from one arena, sharing pipelines across layers', { timeout: 300_000 }, async () => {
    const { ctx } = await testGpu();
    const m = llamaOnly(3);
    const graph = graphOf(m);
    const seq = m.sequenceLength;
    const bindings: PlanBindings = { batch: 1, text: m.textTokens, seq, past: 0, queries: seq };
    const { plan } = planGraph(graph, bindings, {});
    const program = lowerPlanToWebGpu(plan);
    expect(program.buffers.filter((b) => b.kind === 'arena')).toHaveLength(1);
    expect(program.buffers[0]).toEqual({ kind: 'arena', name: 'arena', bytes: plan.memory.arenaBytes });
    expect(program.forward).toHaveLength(plan.kernels.length);
    // Three identical layers: each layer's kernels run the same shaders as layer 0's.
    const byLayer = new Map<string, number[]>();
    plan.kernels.forEach((k, i) => {
      const layer = /\.layers\.(\d+)/.exec(k.scope)?.[1];
      if (layer !== undefined) byLayer.set(layer, [...(byLayer.get(layer) ?? []), program.forward[i].shader]);
    });
    expect(byLayer.size).toBe(3);
    expect(byLayer.get('1')).toEqual(byLayer.get('0'));
    expect(byLayer.get('2')).toEqual(byLayer.get('0'));
    expect(program.shaders.length).toBeLessThan(program.forward.length + program.prepare.length - 2 * (byLayer.get('0') ?? []).length + 1);
    const feeds = randomFeeds(graph, m, { batch: 1, seq, seed: 4 });
    const exec = await WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines: new PipelineCache(ctx.device) });
    const counters = countDeviceWork(ctx.device);
    try {
      const first = await exec.forward(feedsOf(program, feeds.inputs));
      expect(counters.submits).toBe(1);
      expect(counters.dispatches).toBe(plan.kernels.length);
      expect(first.dispatches).toBe(plan.kernels.length);
      counters.reset();
      const second = await exec.forward(feedsOf(program, feeds.inputs));
      expect(counters.submits).toBe(1);
      expect([...second.outputs.logits]).toEqual([...first.outputs.logits]);
      const stats = exec.stats;
      expect(stats.dispatchesPerForward).toBe(plan.kernels.length);
      expect(stats.pipelinesCompiled).toBe(program.shaders.length);
      expect(stats.pipelineCacheHits).toBe(program.forward.length + program.prepare.length - program.shaders.length);
      expect(stats.bytes.arena).toBeGreaterThanOrEqual(plan.memory.arenaBytes);
      expect(stats.bytes.total).toBe(stats.bytes.arena + stats.bytes.weights + stats.bytes.state + stats.bytes.constants + stats.bytes.uniforms + stats.bytes.staging);
      // The q/k/v and gate/up originals are read only by `prepare` (which packs them): freed after it,
      // so forwards hold one copy of each weight — and the second forward above proves nothing needed them.
      const prepareOnly = program.buffers.filter((b, i) => b.kind === 'weight' && !program.forward.some((d) => d.bindings.some((x) => x.buffer === i)));
      expect(prepareOnly.length).toBeGreaterThan(0);
      expect(stats.bytes.freedAfterPrepare).toBeGreaterThanOrEqual(prepareOnly.reduce((sum, b) => sum + b.bytes, 0));
      expect(stats.bytes.loadPeak - stats.bytes.freedAfterPrepare).toBe(stats.bytes.total);
      expect(first.ms).toBeGreaterThan(0);
    } finally {
      counters.detach();
      exec.destroy();
    }
  });

  it('rejects missing, mistyped and mis-sized inputs, missing weights and unknown program versions', { timeout: 300_000 }, async () => {
    const { ctx, pipelines } = await testGpu();
    const k = elementwiseKernel({ out: { buffer: 1, shape: [4], dtype: 'f32', offset: 0 }, loads: [{ buffer: 0, shape: [4], dtype: 'f32', offset: 0 }], program: [{ op: 'load', input: 0 }] });
    const program: GpuProgram = {
      format: 'mimo-webgpu',
      version: 1,
      label: 'copy',
      shaders: [k.wgsl],
      buffers: [
        { kind: 'weight', name: 'w', weight: 'w', shape: [4], bytes: 16 },
        { kind: 'arena', name: 'arena', bytes: 16 },
      ],
      prepare: [],
      forward: [{ label: k.label, shader: 0, workgroups: k.workgroups, bindings: k.bindings, uniforms: k.uniforms }],
      inputs: [],
      outputs: [{ name: 'y', buffer: 1, dtype: 'f32', shape: [4], view: { shape: [4], strides: [1], offset: 0 } }],
      hostSteps: [],
    };
    await expect(WebGpuExecutor.create(ctx, program, new Map(), { pipelines })).rejects.toThrow(/missing weight 'w' \(\[4\]\)/);
    await expect(WebGpuExecutor.create(ctx, program, new Map([['w', new Float32Array(3)]]), { pipelines })).rejects.toThrow(/weight 'w' has 3 elements, expected 4/);
    await expect(WebGpuExecutor.create(ctx, { ...program, version: 2 as 1 }, new Map(), { pipelines })).rejects.toThrow(/not a mimo-webgpu v1 program/);
    const withInput: GpuProgram = { ...program, inputs: [{ name: 'x', buffer: 1, dtype: 'i32', shape: [4], view: { shape: [4], strides: [1], offset: 0 } }] };
    const exec = await WebGpuExecutor.create(ctx, withInput, new Map([['w', Float32Array.of(1, 2, 3, 4)]]), { pipelines });
    try {
      await expect(exec.forward({})).rejects.toThrow(GpuProgramError);
      await expect(exec.forward({})).rejects.toThrow(/missing input 'x' \(\[4\] i32\)/);
      await expect(exec.forward({ x: new Float32Array(4) })).rejects.toThrow(/input 'x' must be a Int32Array \(i32\)/);
      await expect(exec.forward({ x: new Int32Array(5) })).rejects.toThrow(/input 'x' has 5 elements, expected 4/);
      const r = await exec.forward({ x: new Int32Array(4) });
      expect([...r.outputs.y]).toEqual([1, 2, 3, 4]);
    } finally {
      exec.destroy();
    }
  });

  it('routes the zipper from each forward’s ids and rejects a prompt with the wrong placeholder count', { timeout: 300_000 }, async () => {
    const { ctx, pipelines } = await testGpu();
    const m = tinyAvlm();
    const graph = graphOf(m);
    const seq = m.sequenceLength;
    const bindings: PlanBindings = { batch: 1, text: m.textTokens, seq, past: 0, queries: seq };
    const { plan } = planGraph(graph, bindings, {});
    const program = lowerPlanToWebGpu(plan);
    expect(program.hostSteps).toHaveLength(1);
    const feeds = randomFeeds(graph, m, { batch: 1, seq, seed: 8 });
    const exec = await WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines });
    try {
      const feed = feedsOf(program, feeds.inputs);
      const ids = feed.input_ids as Int32Array;
      const placeholder = m.senses[0].token.id;
      const at = ids.indexOf(placeholder);
      ids[at] = placeholder === 1 ? 2 : 1;
      await expect(exec.forward(feed)).rejects.toThrow(ZipperMismatchError);
      await expect(exec.forward(feed)).rejects.toThrow(new RegExp(`sample 0 holds ${m.senses[0].tokens - 1} '${m.senses[0].name}' placeholder tokens`));
    } finally {
      exec.destroy();
    }
  });

  it('readOutputs copies back only the named outputs; the KV caches stay on the device and read() fetches them', { timeout: 300_000 }, async () => {
    const { ctx, pipelines } = await testGpu();
    const m = llamaOnly(2);
    const graph = graphOf(m);
    const past = m.sequenceLength - 1;
    const bindings: PlanBindings = { batch: 1, text: m.textTokens - 1, seq: past, past, queries: 1 };
    const { plan } = planGraph(graph, bindings, { mode: 'decode' });
    const program = lowerPlanToWebGpu(plan);
    const feeds = randomFeeds(graph, m, { batch: 1, seq: m.sequenceLength, seed: 5 });
    const inputs = new Map<string, { data: ArrayLike<number> }>();
    for (const io of program.inputs) {
      const given = feeds.inputs.get(io.name);
      // Decode inputs: one new token, its position, the mask; caches of `past` positions.
      inputs.set(io.name, { data: given !== undefined && given.data.length === io.shape.reduce((a, b) => a * b, 1) ? given.data : Float32Array.from({ length: io.shape.reduce((a, b) => a * b, 1) }, (_, i) => (io.dtype === 'i32' ? 1 : Math.sin(i + 1))) });
    }
    const caches = program.outputs.filter((io) => io.name.startsWith('present_'));
    expect(caches.length).toBe(2 * 2);
    await expect(WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines, readOutputs: ['logits', 'present_key_9'] })).rejects.toThrow(/readOutputs names 'present_key_9', which is not an output/);
    const all = await WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines });
    const some = await WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines, readOutputs: ['logits'] });
    try {
      const everything = await all.forward(feedsOf(program, inputs));
      const logitsOnly = await some.forward(feedsOf(program, inputs));
      expect(Object.keys(everything.outputs).sort()).toEqual(program.outputs.map((io) => io.name).sort());
      expect(Object.keys(logitsOnly.outputs)).toEqual(['logits']);
      expect([...logitsOnly.outputs.logits]).toEqual([...everything.outputs.logits]);
      for (const io of caches) expect([...(await some.read(io))]).toEqual([...everything.outputs[io.name]]);
      const cacheBytes = caches.reduce((sum, io) => sum + io.shape.reduce((a, b) => a * b, 1) * 4, 0);
      expect(all.stats.bytes.staging - some.stats.bytes.staging).toBeGreaterThanOrEqual(cacheBytes);
    } finally {
      all.destroy();
      some.destroy();
    }
  });
});
