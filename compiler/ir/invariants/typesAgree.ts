import { formatShape, shapesEqual } from '../dims.js';
import { inferNodeType, IrTypeError } from '../ops/index.js';
import type { Graph, OpAttrs, OpKind } from '../types.js';
import type { Invariant } from './invariant.js';

/** Re-infers every node from its operands: stored shape, dtype and category equal the inferred ones. */
export const typesAgree: Invariant = {
  name: 'types-agree',
  description: "every node's shape, dtype and category equal what inference gives from its operands",
  check(g: Graph) {
    const weights = new Map(g.weights.map((w) => [w.name, w]));
    const out: string[] = [];
    for (const n of g.nodes) {
      if (n.inputs.some((x) => !(x >= 0 && x < n.id))) continue; // reported by operands-defined-before-use
      const operands = n.inputs.map((x) => ({ shape: g.nodes[x].shape, dtype: g.nodes[x].dtype }));
      try {
        const inferred = inferNodeType(n.op as OpKind, n.attrs as OpAttrs[OpKind], operands, { shape: n.shape, dtype: n.dtype }, { weights });
        if (!shapesEqual(inferred.type.shape, n.shape)) out.push(`%${n.id} (${n.op}) is ${formatShape(n.shape)} but inference gives ${formatShape(inferred.type.shape)}`);
        if (inferred.type.dtype !== n.dtype) out.push(`%${n.id} (${n.op}) is ${n.dtype} but inference gives ${inferred.type.dtype}`);
        if (inferred.category !== n.category) out.push(`%${n.id} (${n.op}) has category ${n.category} but is ${inferred.category}`);
      } catch (error) {
        if (!(error instanceof IrTypeError)) throw error;
        out.push(`%${n.id} (${n.op}): ${error.message}`);
      }
    }
    return out;
  },
};
