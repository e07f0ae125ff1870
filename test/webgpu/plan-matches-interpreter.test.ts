/**
 * Whole plans on WebGPU equal the plan's reference interpreter (compiler/plan/interpret) within
 * 1e-4 relative (max |a − b| / max |b|): fused prefill plans of every family (LLaMA + CLIP video
 * + BEATs audio with the zipper, GPT-2 + Whisper, GPT-2 + SigLIP pooled), two samples with the
 * second left-padded; a fused decode step over KV caches (logits and the caches the step
 * writes); and unfused plans (every IR op as its own kernel). The arena and state buffers are
 * poisoned with NaN before the forward, so a kernel reading storage nobody wrote fails. Plans are
 * lowered for a GPU and, for the AVLM prefill and the decode step, for a CPU fallback adapter too;
 * one AVLM prefill runs with its arena split over several storage bindings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../compiler/model/types.js';
import { planGraph } from '../../compiler/plan/index.js';
import { decoderAttentionSites } from '../../compiler/plan/lower.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import type { Plan, PlanBindings } from '../../compiler/plan/types.js';
import type { AdapterClass } from '../../compiler/wgsl/matmul.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { WebGpuExecutor } from '../../runtime/webgpu/executor.js';
import { randomFeeds, relativeError } from '../plan/harness.js';
import { graphOf, gpt2Siglip, gpt2Whisper, llamaOnly, tinyAvlm } from '../plan/models.js';
import { sliceAxis } from '../plan/semantics.js';
import { releaseGpu, testGpu } from '../wgsl/harness.js';

afterAll(releaseGpu);

async function runOnGpu(plan: Plan, inputs: ReadonlyMap<string, Tensor>, weights: ReadonlyMap<string, Float32Array>, adapter: AdapterClass = 'gpu', maxBindingBytes?: number): Promise<{ outputs: Record<string, Float32Array | Int32Array>; dispatches: number }> {
  const { ctx, pipelines } = await testGpu();
  const program = lowerPlanToWebGpu(plan, { adapter, ...(maxBindingBytes === undefined ? {} : { maxBindingBytes }) });
  if (maxBindingBytes !== undefined) {
    const arenas = program.buffers.filter((b) => b.kind === 'arena');
    expect(arenas.length).toBeGreaterThan(1);
    for (const a of arenas) expect(a.bytes).toBeLessThanOrEqual(maxBindingBytes);
  }
  const exec = await WebGpuExecutor.create(ctx, program, weights, { pipelines, poison: true });
  try {
    const feed: Record<string, Float32Array | Int32Array> = {};
    for (const io of program.inputs) {
      const t = inputs.get(io.name);
      if (t === undefined) throw new Error(`no feed for ${io.name}`);
      feed[io.name] = io.dtype === 'i32' ? Int32Array.from(t.data) : Float32Array.from(t.data);
    }
    const result = await exec.forward(feed);
    expect(result.submits).toBe(1);
    expect(result.dispatches).toBe(plan.kernels.length);
    return { outputs: result.outputs, dispatches: result.dispatches };
  } finally {
    exec.destroy();
  }
}

function expectAllOutputsClose(plan: Plan, got: Record<string, Float32Array | Int32Array>, want: ReadonlyMap<string, Tensor>): void {
  for (const o of plan.outputs) {
    const expected = want.get(o.name) as Tensor;
    const actual = { shape: o.operand.shape, data: got[o.name] };
    expect(relativeError(actual, expected), o.name).toBeLessThan(1e-4);
  }
}

/** The executor runs float32 plans; the GPT-2 test models are declared bfloat16. */
const float32 = (make: () => CheckedModel) => (): CheckedModel => ({ ...make(), dtype: 'float32' });

const PREFILL: readonly (readonly [string, () => CheckedModel, AdapterClass])[] = [
  ['llama + CLIP video + BEATs audio (zipper, grouped conv, relative positions)', tinyAvlm, 'gpu'],
  ['gpt2 + Whisper (conv1d front end)', float32(gpt2Whisper), 'gpu'],
  ['gpt2 + SigLIP pooled (patch conv, avg pool)', float32(gpt2Siglip), 'gpu'],
  // Lowered for a fallback adapter: matmuls read K from storage, unstaged (other tiles).
  ['llama + CLIP video + BEATs audio, kernels tuned for a CPU fallback adapter', tinyAvlm, 'cpu'],
];

describe('fused plans on WebGPU equal the plan interpreter', () => {
  for (const [name, make, adapter] of PREFILL) {
    it(`prefill: ${name}`, { timeout: 600_000 }, async () => {
      const m = make();
      const graph = graphOf(m);
      const batch = 2;
      const seq = m.sequenceLength;
      const feeds = randomFeeds(graph, m, { batch, seq, seed: 11, leftPad: 3 });
      const bindings: PlanBindings = { batch, text: m.textTokens, seq, past: 0, queries: seq };
      const { plan } = planGraph(graph, bindings, {});
      const want = interpretPlan(plan, feeds);
      const { outputs } = await runOnGpu(plan, feeds.inputs, feeds.weights, adapter);
      expectAllOutputsClose(plan, outputs, want);
    });
  }

  it('prefill with the arena split over several storage bindings (a binding limit below the arena size)', { timeout: 600_000 }, async () => {
    const m = tinyAvlm();
    const graph = graphOf(m);
    const seq = m.sequenceLength;
    const feeds = randomFeeds(graph, m, { batch: 2, seq, seed: 13, leftPad: 3 });
    const { plan } = planGraph(graph, { batch: 2, text: m.textTokens, seq, past: 0, queries: seq }, {});
    const largest = Math.max(...plan.buffers.filter((b) => b.offset !== undefined).map((b) => b.bytes));
    const limit = Math.max(largest, Math.ceil(plan.memory.arenaBytes / 4));
    const want = interpretPlan(plan, feeds);
    const { outputs } = await runOnGpu(plan, feeds.inputs, feeds.weights, 'gpu', limit);
    expectAllOutputsClose(plan, outputs, want);
  });

  for (const adapter of ['gpu', 'cpu'] as const) it(`decode step over KV caches (llama, GQA): logits and the caches it writes (${adapter} adapter tiles)`, { timeout: 600_000 }, async () => {
    const m = llamaOnly(2);
    const graph = graphOf(m);
    const batch = 2;
    const seq = m.sequenceLength;
    const past = seq - 1;
    const feeds = randomFeeds(graph, m, { batch, seq, seed: 21, leftPad: 2 });
    const prefill = interpretGraph(graph, { batch, seq }, feeds);
    const sites = decoderAttentionSites(graph);
    const inputs = new Map<string, Tensor>([
      ['input_ids', sliceAxis(feeds.inputs.get('input_ids') as Tensor, 1, past, seq)],
      ['position_ids', sliceAxis(feeds.inputs.get('position_ids') as Tensor, 1, past, seq)],
      ['attention_mask', feeds.inputs.get('attention_mask') as Tensor],
    ]);
    for (const [id, layer] of sites.keys) inputs.set(`past_key_${layer}`, sliceAxis(prefill.values.get(id) as Tensor, 2, 0, past));
    for (const [id, layer] of sites.values) inputs.set(`past_value_${layer}`, sliceAxis(prefill.values.get(id) as Tensor, 2, 0, past));
    const bindings: PlanBindings = { batch, text: m.textTokens - 1, seq: past, past, queries: 1 };
    const { plan } = planGraph(graph, bindings, { mode: 'decode' });
    const want = interpretPlan(plan, { inputs, weights: feeds.weights });
    const { outputs } = await runOnGpu(plan, inputs, feeds.weights, adapter);
    expect(plan.outputs.map((o) => o.name)).toContain('present_key_1');
    expectAllOutputsClose(plan, outputs, want);
  });
});

describe('unfused plans (one kernel per IR op) on WebGPU equal the plan interpreter', () => {
  for (const [name, make] of [
    ['llama (GQA repeat, rope, causal mask, softmax, every data movement op)', () => llamaOnly(1)],
    ['llama + CLIP video + BEATs audio (conv2d, weight norm, relative buckets, zip op)', tinyAvlm],
  ] as const) {
    it(name, { timeout: 600_000 }, async () => {
      const m = make();
      const graph = graphOf(m);
      const batch = 2;
      const seq = m.sequenceLength;
      const feeds = randomFeeds(graph, m, { batch, seq, seed: 31, leftPad: 1 });
      const bindings: PlanBindings = { batch, text: m.textTokens, seq, past: 0, queries: seq };
      const { plan } = planGraph(graph, bindings, { passes: [] });
      const want = interpretPlan(plan, feeds);
      const { outputs } = await runOnGpu(plan, feeds.inputs, feeds.weights);
      expectAllOutputsClose(plan, outputs, want);
    });
  }
});
