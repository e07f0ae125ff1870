/**
 * Shared setup of the plan-executor tests: a spec's model and its plan, seeded weights that make
 * every parameter matter (biases and norm gains drawn around 0 and 1, not the manifest's exact
 * zeros and ones), and prompts with every placeholder expanded.
 */
import { join } from 'node:path';
import { buildGraph } from '../../compiler/ir/index.js';
import type { Graph } from '../../compiler/ir/types.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { runPipeline } from '../../compiler/pipeline.js';
import { planModel, type Plan } from '../../compiler/plan/index.js';
import type { Feeds } from '../../compiler/plan/interpret/ir.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import { tf } from '../../runtime/backend/tf.js';
import { createRng, fillNormal, initWeights } from '../../runtime/io/init.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface PlannedModel {
  readonly model: CheckedModel;
  readonly graph: Graph;
  readonly plan: Plan;
}

/** Checks a spec (with `--set` overrides) and plans one of its models for `text` text tokens. */
export async function plannedModel(spec: string, id: string, options: { readonly set?: readonly string[]; readonly text?: number; readonly batch?: number } = {}): Promise<PlannedModel> {
  const result = await runPipeline([join(ROOT, spec)], { root: ROOT, cwd: ROOT, overrides: options.set });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${spec}: ${errors.map((d) => d.message).join('; ')}`);
  const model = result.models.find((m) => m.id === id);
  if (model === undefined) throw new Error(`${spec} has no model ${id}: ${result.models.map((m) => m.id).join(', ')}`);
  const { graph } = buildGraph(model);
  if (graph === undefined) throw new Error(`${id}: no graph`);
  const { plan, diagnostics } = planModel(model, { text: options.text, batch: options.batch });
  if (plan === undefined) throw new Error(`${id}: no plan: ${diagnostics.map((d) => d.message).join('; ')}`);
  return { model, graph, plan };
}

/** Seeded weights for every manifest entry: normal(0, 1/√fan-in) matrices, gains ~ N(1, 0.1), biases ~ N(0, 0.1). */
export function testWeights(graph: Graph, seed: number): Map<string, Float32Array> {
  const specs = graph.weights.map((w) => {
    const fanIn = w.shape.length >= 2 ? w.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
    if (w.init.kind === 'ones') return { name: w.name, shape: w.shape, init: 'normal' as const, mean: 1, std: 0.1 };
    if (w.init.kind === 'zeros') return { name: w.name, shape: w.shape, init: 'normal' as const, std: 0.1 };
    return { name: w.name, shape: w.shape, init: 'normal' as const, std: Math.min(0.5, 1 / Math.sqrt(fanIn)) };
  });
  return new Map([...initWeights(specs, seed)].map(([name, t]) => [name, t.data]));
}

/** One pre-expanded prompt per sample: text ids, then each sense's placeholders in one run, text after. */
export function expandedIds(model: CheckedModel, seq: number, batch: number, seed: number): Int32Array {
  const rng = createRng(seed, 'test.prompt');
  const placeholder = new Set(model.senses.map((s) => s.token.id));
  const text = (): number => {
    for (;;) {
      const id = rng.nextUint32() % model.decoder.vocab;
      if (!placeholder.has(id)) return id;
    }
  };
  const senseTokens = model.senses.reduce((n, s) => n + s.tokens, 0);
  const ids = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const row: number[] = [text(), text()];
    for (const s of model.senses) for (let i = 0; i < s.tokens; i++) row.push(s.token.id);
    while (row.length < seq) row.push(text());
    if (row.length !== seq || seq < senseTokens + 2) throw new Error(`seq ${seq} does not fit ${senseTokens} sense tokens`);
    ids.set(row, b * seq);
  }
  return ids;
}

/** Feeds for the plan's inputs (by IR input name): expanded ids, an all-ones mask, positions 0…, random media. */
export function testFeeds(graph: Graph, model: CheckedModel, plan: Plan, seed: number): Feeds {
  const { batch, seq } = plan.bindings;
  const ids = expandedIds(model, seq, batch, seed);
  const inputs = new Map<string, Tensor>();
  for (const input of plan.inputs) {
    const shape = [...input.operand.shape];
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array | Int32Array;
    if (input.role === 'input_ids') data = ids;
    else if (input.role === 'attention_mask') data = new Int32Array(n).fill(1);
    else if (input.role === 'position_ids') data = Int32Array.from({ length: n }, (_, i) => i % seq);
    else data = fillNormal(new Float32Array(n), createRng(seed, `test.${input.name}`));
    inputs.set(input.name, { shape, data });
  }
  return { inputs, weights: testWeights(graph, seed + 1) };
}

/** max |a − b| / max |b|. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** The feeds' media as tensors by sense name (for the generated model), on the active backend. */
export function senseMedia(graph: Graph, feeds: Feeds): Map<string, { tensor: tf.Tensor; note: string }> {
  const media = new Map<string, { tensor: tf.Tensor; note: string }>();
  for (const node of graph.nodes) {
    if (node.op !== 'input' || node.attrs.sense === undefined) continue;
    const t = feeds.inputs.get(node.attrs.name);
    if (t !== undefined) media.set(node.attrs.sense, { tensor: tf.tensor(t.data, [...t.shape]), note: 'random' });
  }
  return media;
}

/** The feeds as executor inputs (host arrays by plan input name). */
export function hostInputs(feeds: Feeds): Record<string, Float32Array | Int32Array> {
  return Object.fromEntries([...feeds.inputs].map(([name, t]) => [name, t.data]));
}
