/**
 * The tfjs op-by-op baseline of `mimo bench` computes what the plan interpreter computes for the
 * same unfused plan (so the benchmark compares two correct executors): prefill of LLaMA + CLIP
 * video + BEATs audio (grouped conv1d, weight norm, relative buckets, the zip op) and GPT-2 +
 * Whisper, and a LLaMA decode step over caches. Runs on tfjs's CPU backend: no GPU needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsOpByOp } from '../../cli/commands/bench-tfjs.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { planGraph } from '../../compiler/plan/index.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import type { PlanBindings, PlanMode } from '../../compiler/plan/types.js';
import { tf } from '../../runtime/backend/tf.js';
import { randomFeeds, relativeError } from '../plan/harness.js';
import { graphOf, gpt2Whisper, llamaOnly, tinyAvlm } from '../plan/models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function check(m: CheckedModel, mode: PlanMode): Promise<void> {
  const graph = graphOf(m);
  const seq = m.sequenceLength;
  const feeds = randomFeeds(graph, m, { batch: 2, seq, seed: 13, leftPad: 2 });
  const past = mode === 'decode' ? seq - 1 : 0;
  const bindings: PlanBindings = mode === 'decode' ? { batch: 2, text: m.textTokens - 1, seq: past, past, queries: 1 } : { batch: 2, text: m.textTokens, seq, past: 0, queries: seq };
  const { plan } = planGraph(graph, bindings, { mode, passes: [] });
  const inputs = new Map<string, Tensor>();
  const host: Record<string, Float32Array | Int32Array> = {};
  let salt = 0;
  for (const i of plan.inputs) {
    const given = feeds.inputs.get(i.name);
    const n = i.operand.shape.reduce((a, b) => a * b, 1);
    // Decode: the step's token and position are the prompt's last; the caches are random.
    let data: Float32Array | Int32Array;
    if (given !== undefined && given.data.length === n) data = given.data as Float32Array | Int32Array;
    else if (given !== undefined) data = Int32Array.from({ length: n }, (_, j) => given.data[Math.floor(j / (n / 2)) * seq + seq - 1]);
    else data = Float32Array.from({ length: n }, (_, j) => Math.sin(j * 0.37 + ++salt));
    inputs.set(i.name, { shape: i.operand.shape, data });
    host[i.name] = data;
  }
  const want = interpretPlan(plan, { inputs, weights: feeds.weights });
  const baseline = tfjsOpByOp(plan, feeds.weights);
  try {
    expect(baseline.ops).toBe(plan.kernels.length);
    const got = await baseline.run(host);
    for (const o of plan.outputs) expect(relativeError({ shape: o.operand.shape, data: got[o.name] }, want.get(o.name) as Tensor), o.name).toBeLessThan(1e-4);
  } finally {
    baseline.dispose();
  }
}

describe('tfjs op-by-op baseline', () => {
  it('prefill: llama + CLIP video + BEATs audio', { timeout: 300_000 }, () => check(tinyAvlm(), 'prefill'));
  it('prefill: gpt2 + Whisper', { timeout: 300_000 }, () => check({ ...gpt2Whisper(), dtype: 'float32' }, 'prefill'));
  it('decode: llama over KV caches', { timeout: 300_000 }, () => check(llamaOnly(2), 'decode'));
  it('refuses a fused plan', () => {
    const m = llamaOnly(1);
    const { plan } = planGraph(graphOf(m), { batch: 1, text: m.textTokens, seq: m.sequenceLength, past: 0, queries: m.sequenceLength }, {});
    expect(() => tfjsOpByOp(plan, new Map())).toThrow(/runs unfused plans; kernel \d+ is a fused/);
  });
});
