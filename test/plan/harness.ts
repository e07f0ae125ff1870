/**
 * Random weights and inputs for the plan's equivalence tests: seeded, and shaped like real
 * prompts (every sense's placeholders present exactly as often as its embeddings, text ids
 * elsewhere, optional left padding with HF-style positions).
 */
import { evalShape } from '../../compiler/ir/dims.js';
import type { Graph } from '../../compiler/ir/types.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import type { Feeds } from '../../compiler/plan/interpret/ir.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import { SeededRandom } from '../reference/random.js';

export interface FeedOptions {
  readonly batch: number;
  readonly seq: number;
  readonly seed: number;
  /** Left-pad the last sample by this many text positions (mask 0). */
  readonly leftPad?: number;
}

export function randomWeights(graph: Graph, seed: number): Map<string, Float32Array> {
  const rng = new SeededRandom(seed);
  const weights = new Map<string, Float32Array>();
  for (const w of graph.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const fanIn = w.shape.length >= 2 ? w.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
    const data =
      w.init.kind === 'ones' ? rng.normals(n, 0.1, 1) : w.init.kind === 'zeros' ? rng.normals(n, 0.1) : rng.normals(n, Math.min(0.5, 1 / Math.sqrt(fanIn)));
    weights.set(w.name, data);
  }
  return weights;
}

/** Prompt ids of one sample: each sense's placeholders in one run, text around them, a text token last. */
export function promptIds(model: CheckedModel, seq: number, rng: SeededRandom): number[] {
  const placeholderIds = new Set(model.senses.map((s) => s.token.id));
  const text = (): number => {
    for (;;) {
      const id = Math.floor(rng.uniform() * model.decoder.vocab);
      if (!placeholderIds.has(id)) return id;
    }
  };
  const senseTokens = model.senses.reduce((s, x) => s + x.tokens, 0);
  const textCount = seq - senseTokens;
  if (textCount < 1) throw new Error(`seq ${seq} leaves no text token`);
  const ids: number[] = [];
  let remaining = textCount;
  const lead = Math.min(remaining - 1, 2);
  for (let i = 0; i < lead; i++) ids.push(text());
  remaining -= lead;
  for (const s of model.senses) {
    for (let i = 0; i < s.tokens; i++) ids.push(s.token.id);
    if (remaining > 1) {
      ids.push(text());
      remaining--;
    }
  }
  while (remaining-- > 0) ids.push(text());
  return ids;
}

export function randomFeeds(graph: Graph, model: CheckedModel, options: FeedOptions): Feeds {
  const rng = new SeededRandom(options.seed);
  const { batch, seq } = options;
  const ids = new Int32Array(batch * seq);
  const mask = new Int32Array(batch * seq).fill(1);
  const positions = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const row = promptIds(model, seq, rng);
    ids.set(row, b * seq);
    const pad = b === batch - 1 ? (options.leftPad ?? 0) : 0;
    for (let p = 0; p < pad; p++) mask[b * seq + p] = 0;
    let pos = 0;
    for (let p = 0; p < seq; p++) {
      positions[b * seq + p] = mask[b * seq + p] === 0 ? 0 : pos++;
    }
  }
  const inputs = new Map<string, Tensor>();
  const bindings = { batch, seq };
  for (const node of graph.nodes) {
    if (node.op !== 'input') continue;
    const shape = evalShape(node.shape, bindings);
    const n = shape.reduce((a, c) => a * c, 1);
    const role = node.attrs.role;
    const data = role === 'input_ids' ? ids : role === 'attention_mask' ? mask : role === 'position_ids' ? positions : rng.normals(n);
    inputs.set(node.attrs.name, { shape, data });
  }
  return { inputs, weights: randomWeights(graph, options.seed + 1) };
}

/** max |a − b| / max |b|. */
export function relativeError(actual: Tensor, expected: Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) throw new Error(`shapes differ: [${actual.shape.join(', ')}] vs [${expected.shape.join(', ')}]`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(actual.data[i] - expected.data[i]);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(expected.data[i]));
  }
  return diff / scale;
}
