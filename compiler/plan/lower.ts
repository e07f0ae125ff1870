/**
 * Lowers the graph IR to a kernel graph for concrete sizes: one `op` kernel per IR op, every
 * shape evaluated. Two modes:
 *
 * - `prefill`: the whole prompt (`seq` = text + sense tokens) through encoders, zipper and decoder.
 * - `decode`: one new text token per sample after a prompt of `past` positions. The senses and the
 *   zipper are gone (their embeddings were consumed by the prefill); each decoder self-attention
 *   reads its layer's cache: the new (rotated) key and value are appended to `past_key_L` /
 *   `past_value_L` inputs by a `concat` (outputs `present_key_L` / `present_value_L`), and the
 *   causal mask is the last row of the `past + 1` mask (`causal_mask` then `slice`), so the unfused
 *   graph states the semantics plainly and the fusion passes make the append in place.
 */
import { inferNodeType, type TensorType } from '../ir/ops/index.js';
import { evalShape } from '../ir/dims.js';
import type { Graph, IrNode, OpAttrs, OpKind, SymbolBindings, WeightSpec } from '../ir/types.js';
import { KernelGraph } from './graph.js';
import type { PlanMode } from './types.js';

export interface LowerOptions {
  readonly mode: PlanMode;
  readonly batch: number;
  /** The IR's `seq` in prefill; the cached prompt length (`past`) in decode. */
  readonly seq: number;
}

export interface LowerResult {
  readonly graph: KernelGraph;
  /** Op kernels of the unfused graph (every IR op but the sources, plus decode's appends). */
  readonly ops: number;
}

/** One decoder self-attention as the IR spells it: the key and value sources before any GQA repeat. */
export interface AttentionSites {
  /** IR id of the rotated key `[batch, kv_heads, seq, head_dim]` → layer index. */
  readonly keys: ReadonlyMap<number, number>;
  readonly values: ReadonlyMap<number, number>;
}

export function lowerGraph(ir: Graph, options: LowerOptions): LowerResult {
  const decode = options.mode === 'decode';
  const g = new KernelGraph();
  const weights = new Map<string, WeightSpec>(ir.weights.map((w) => [w.name, w]));
  const bindings: SymbolBindings = { batch: options.batch, seq: decode ? 1 : options.seq };
  const past = decode ? options.seq : 0;
  const live = liveNodes(ir, decode);
  const sites = decode ? decoderAttentionSites(ir) : { keys: new Map<number, number>(), values: new Map<number, number>() };
  const valueOf = new Map<number, number>();
  const typeOf = (id: number): TensorType => {
    const v = g.value(valueOf.get(id) as number);
    return { shape: v.shape, dtype: v.dtype };
  };
  let ops = 0;
  const presents: { name: string; value: number }[] = [];
  let order = 0;
  const opKernel = <K extends OpKind>(op: K, attrs: OpAttrs[K], inputs: number[], out: number, scope: string, ir: number[]): void => {
    ops++;
    g.addKernel<'op'>({ kind: 'op', inputs, roles: inputs.map((_, i) => `x${i}`), outputs: [out], params: { op, attrs }, ir, scope, label: op, stage: 'forward', order: order++ });
  };

  for (const node of ir.nodes) {
    if (!live.has(node.id)) continue;
    const name = nodeName(node);
    if (node.op === 'input') {
      const shape = node.attrs.role === 'attention_mask' && decode ? [options.batch, past + 1] : evalShape(node.shape, bindings);
      const v = g.addValue(shape, node.dtype, { kind: 'input', name: node.attrs.name, role: node.attrs.role }, node.attrs.name);
      g.inputs.push({ name: node.attrs.name, role: node.attrs.role, value: v });
      valueOf.set(node.id, v);
      continue;
    }
    if (node.op === 'weight') {
      valueOf.set(node.id, g.addValue(evalShape(node.shape, bindings), node.dtype, { kind: 'weight', name: node.attrs.name }, node.attrs.name));
      continue;
    }
    if (node.op === 'constant') {
      valueOf.set(node.id, g.addValue([], node.dtype, { kind: 'constant', value: node.attrs.value }, `${name}.const`));
      continue;
    }
    if (node.op === 'zip' && decode) {
      valueOf.set(node.id, valueOf.get(node.inputs[0]) as number);
      continue;
    }
    const operands = node.inputs.map((i) => valueOf.get(i) as number);
    const declared = { shape: evalShape(node.shape, bindings), dtype: node.dtype };
    const type = inferNodeType(node.op, node.attrs as never, node.inputs.map(typeOf), declared, { weights }).type;
    const shape = type.shape.map(Number);
    if (!decode && shape.some((d, i) => d !== declared.shape[i])) {
      throw new Error(`lowering %${node.id} (${node.op}): inferred [${shape.join(', ')}] but the IR says [${declared.shape.join(', ')}]`);
    }
    let out = g.addResult(shape, type.dtype, name);
    opKernel(node.op, node.attrs, operands, out, node.scope, [node.id]);
    if (decode && node.op === 'causal_mask') {
      // The new token is query row `past` of the full mask.
      const row = g.addResult([shape[0], 1, 1, shape[3]], type.dtype, `${name}.last_row`);
      opKernel('slice', { axis: 2, start: past, end: past + 1 }, [out], row, node.scope, [node.id]);
      out = row;
    }
    const layer = sites.keys.get(node.id) ?? sites.values.get(node.id);
    if (layer !== undefined) {
      const tensor = sites.keys.has(node.id) ? 'key' : 'value';
      const [b, heads, , d] = shape;
      const pastName = `past_${tensor}_${layer}`;
      const pastValue = g.addValue([b, heads, past, d], type.dtype, { kind: 'input', name: pastName, role: tensor === 'key' ? 'past_key' : 'past_value' }, pastName);
      g.inputs.push({ name: pastName, role: tensor === 'key' ? 'past_key' : 'past_value', value: pastValue });
      const present = g.addResult([b, heads, past + 1, d], type.dtype, `present_${tensor}_${layer}`);
      opKernel('concat', { axis: 2 }, [pastValue, out], present, node.scope, [node.id]);
      presents.push({ name: `present_${tensor}_${layer}`, value: present });
      out = present;
    }
    valueOf.set(node.id, out);
  }
  for (const o of ir.outputs) g.addOutput(o.name, valueOf.get(o.node) as number);
  // Caches by layer, key before value, for inputs and outputs alike.
  const cacheOrder = (name: string): number => {
    const m = /_(key|value)_(\d+)$/.exec(name);
    return m === null ? -1 : Number(m[2]) * 2 + (m[1] === 'key' ? 0 : 1);
  };
  for (const p of [...presents].sort((a, b) => cacheOrder(a.name) - cacheOrder(b.name))) g.addOutput(p.name, p.value);
  g.inputs.sort((a, b) => cacheOrder(a.name) - cacheOrder(b.name));
  return { graph: g, ops };
}

function nodeName(node: IrNode): string {
  const scope = node.scope.replace(/^language_model\.(model|transformer)\./, 'lm.');
  return scope === '' ? `${node.op}%${node.id}` : `${scope}:${node.op}%${node.id}`;
}

/** Nodes the mode computes: everything in prefill; in decode, what the logits need once the zipper is bypassed. */
function liveNodes(ir: Graph, decode: boolean): Set<number> {
  const live = new Set<number>();
  const stack = ir.outputs.map((o) => o.node);
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (live.has(id)) continue;
    live.add(id);
    const node = ir.nodes[id];
    stack.push(...(decode && node.op === 'zip' ? [node.inputs[0]] : node.inputs));
  }
  return live;
}

/**
 * Finds each decoder self-attention (scores = matmul(q, k, transposeB) → mul(scale) → add … →
 * softmax → matmul(probs, v), with a `causal_mask` among the adds) and returns its key and value
 * sources: the operands of the GQA `repeat` when there is one.
 */
export function decoderAttentionSites(ir: Graph): AttentionSites {
  const keys = new Map<number, number>();
  const values = new Map<number, number>();
  const consumers = new Map<number, IrNode[]>();
  for (const n of ir.nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const unrepeat = (id: number): number => (ir.nodes[id].op === 'repeat' ? ir.nodes[id].inputs[0] : id);
  for (const softmax of ir.nodes) {
    if (softmax.op !== 'softmax') continue;
    let x = ir.nodes[softmax.inputs[0]];
    let causal = false;
    while (x.op === 'add') {
      const other = ir.nodes[x.inputs[1]];
      if (other.op === 'causal_mask') causal = true;
      x = ir.nodes[x.inputs[0]];
    }
    if (x.op === 'mul') x = ir.nodes[x.inputs[0]];
    if (x.op !== 'matmul' || !x.attrs.transposeB || !causal) continue;
    const pv = (consumers.get(softmax.id) ?? []).find((c) => c.op === 'matmul' && c.inputs[0] === softmax.id);
    if (pv === undefined) continue;
    const layer = layerIndex(x.scope);
    if (layer === undefined) continue;
    keys.set(unrepeat(x.inputs[1]), layer);
    values.set(unrepeat(pv.inputs[1]), layer);
  }
  return { keys, values };
}

export function layerIndex(scope: string): number | undefined {
  const m = /\.(?:layers|h)\.(\d+)(?:\.|$)/.exec(scope);
  return m === null ? undefined : Number(m[1]);
}
