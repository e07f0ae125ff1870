/**
 * The IR's text form: a header, one line per shape symbol, weight and node, then the outputs.
 * Strings and attributes are JSON, so any name prints safely and `parseGraph` reads the text
 * back to an equal graph.
 *
 *   graph "llava_avlm/tiny" version 1
 *   symbol seq max 256 "prompt tokens ..."
 *   weight "language_model.model.norm.weight" : float32[64] decoder trainable used ones
 *   %17 = matmul(%15, %16) {"transposeA":false,"transposeB":true} : float32[batch, seq, 64] out_elementwise_fusable @language_model.model.layers.0.self_attn.q_proj
 *   output "logits" = %911
 */
import { formatShape } from './dims.js';
import type { Graph, IrNode, WeightComponent, WeightInit, WeightSpec } from './types.js';

export function formatComponent(c: WeightComponent): string {
  return c.kind === 'decoder' ? 'decoder' : `${c.kind}(${JSON.stringify(c.sense)})`;
}

export function formatInit(init: WeightInit): string {
  return init.kind === 'normal' ? `normal(${init.std})` : init.kind;
}

export function formatWeight(w: WeightSpec): string {
  return `weight ${JSON.stringify(w.name)} : ${w.dtype}${formatShape(w.shape)} ${formatComponent(w.component)} ${w.frozen ? 'frozen' : 'trainable'} ${w.used ? 'used' : 'unused'} ${formatInit(w.init)}`;
}

export function formatNode(n: IrNode): string {
  const operands = n.inputs.map((i) => `%${i}`).join(', ');
  const attrs = JSON.stringify(n.attrs);
  const scope = n.scope === '' ? '' : ` @${n.scope}`;
  return `%${n.id} = ${n.op}(${operands}) ${attrs} : ${n.dtype}${formatShape(n.shape)} ${n.category}${scope}`;
}

export function printGraph(graph: Graph): string {
  const lines = [`graph ${JSON.stringify(graph.modelId)} version ${graph.version}`];
  for (const s of graph.symbols) lines.push(`symbol ${s.name}${s.max === undefined ? '' : ` max ${s.max}`} ${JSON.stringify(s.description)}`);
  for (const w of graph.weights) lines.push(formatWeight(w));
  for (const n of graph.nodes) lines.push(formatNode(n));
  for (const o of graph.outputs) lines.push(`output ${JSON.stringify(o.name)} = %${o.node}`);
  return `${lines.join('\n')}\n`;
}
