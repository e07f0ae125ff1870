/**
 * The unfused reference: runs the graph IR node by node (each op by its textbook definition in
 * ops.ts) on float32 host tensors. Independent of lowering, fusion, views and the memory plan,
 * so agreement with the plan interpreter checks all of them.
 */
import { evalShape } from '../../ir/dims.js';
import type { Graph, SymbolBindings } from '../../ir/types.js';
import { InterpretError, evalOp } from './ops.js';
import type { Tensor } from './tensor.js';
import { size } from './tensor.js';

export interface Feeds {
  /** Graph inputs by name. */
  readonly inputs: ReadonlyMap<string, Tensor>;
  /** Weights by manifest name (row-major, the manifest's shape). */
  readonly weights: ReadonlyMap<string, Float32Array>;
}

export interface IrRun {
  readonly outputs: ReadonlyMap<string, Tensor>;
  /** Every node's value by IR id (for checks on intermediate tensors, such as the KV cache). */
  readonly values: ReadonlyMap<number, Tensor>;
}

export function interpretGraph(graph: Graph, bindings: SymbolBindings, feeds: Feeds): IrRun {
  const values = new Map<number, Tensor>();
  for (const node of graph.nodes) {
    const shape = evalShape(node.shape, bindings);
    let t: Tensor;
    if (node.op === 'input') {
      const given = feeds.inputs.get(node.attrs.name);
      if (given === undefined) throw new InterpretError(`no value for input \`${node.attrs.name}\``);
      if (given.shape.join() !== shape.join()) throw new InterpretError(`input \`${node.attrs.name}\` is [${given.shape.join(', ')}], the graph wants [${shape.join(', ')}]`);
      t = given;
    } else if (node.op === 'weight') {
      const data = feeds.weights.get(node.attrs.name);
      if (data === undefined || data.length !== size(shape)) throw new InterpretError(`weight \`${node.attrs.name}\` is missing or has the wrong size`);
      t = { shape, data };
    } else if (node.op === 'constant') {
      t = { shape: [], data: Float32Array.of(node.attrs.value) };
    } else {
      t = evalOp(node.op, node.attrs as never, node.inputs.map((i) => values.get(i) as Tensor), shape);
    }
    values.set(node.id, t);
  }
  const outputs = new Map(graph.outputs.map((o) => [o.name, values.get(o.node) as Tensor]));
  return { outputs, values };
}
