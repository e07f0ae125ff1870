/**
 * KvCacheInPlace (decode): present = concat(past, new, axis 2) becomes the layer's persistent KV
 * cache `[batch, kv_heads, past + 1, head_dim]`: the kernel producing the new key or value (the
 * QKV matmul, after RopeIntoMatmul) writes it straight into row `past` of the cache through a
 * strided view, the past input is a view of the cache's first rows, and no copy runs.
 */
import type { KernelGraph } from '../graph.js';
import { layerIndex } from '../lower.js';
import { applyViewOp, contiguousView, invertViewOp } from '../view.js';
import type { View } from '../types.js';
import type { FusionPass } from './pass.js';

export const KvCacheInPlace: FusionPass = {
  name: 'KvCacheInPlace',
  description: 'decode: concat(past, new) → the new row written into the KV cache in place',
  run(g) {
    for (const concat of [...g.kernels]) {
      if (concat.kind !== 'op' || concat.params.op !== 'concat' || concat.inputs.length !== 2) continue;
      const [past, fresh] = concat.inputs;
      const pastDef = g.value(past).def;
      if (pastDef.kind !== 'input' || (pastDef.role !== 'past_key' && pastDef.role !== 'past_value')) continue;
      const present = concat.outputs[0];
      const shape = g.value(present).shape;
      const rows = g.value(past).shape[2];
      const cacheView = contiguousView(shape);
      const freshView = applyViewOp(cacheView, shape, { op: 'slice', axis: 2, start: rows, end: rows + 1 });
      if (freshView === undefined) continue;
      const placed = placeChain(g, fresh, freshView);
      if (placed === undefined) continue;
      const layer = layerIndex(concat.scope) ?? 0;
      const tensor = pastDef.role === 'past_key' ? 'key' : 'value';
      const cache = g.addValue(shape, g.value(present).dtype, { kind: 'cache', layer, tensor }, `kv_cache.${tensor}.${layer}`);
      g.setPlacement(placed.root, { into: cache, view: placed.view });
      g.setDef(past, { kind: 'alias', of: cache, op: { op: 'slice', axis: 2, start: 0, end: rows } });
      g.replaceUses(present, cache);
      g.removeKernels([concat.id]);
    }
  },
};

/**
 * Walks from `value` back through reshape/transpose aliases to the kernel output that stores it
 * and returns that output with the view it must be written through so that `value` reads as
 * `valueView`. Undefined when the chain has another op, or the root is not a kernel's output.
 */
function placeChain(g: KernelGraph, value: number, valueView: View): { root: number; view: View } | undefined {
  let v = g.value(value);
  let view: View | undefined = valueView;
  while (v.def.kind === 'alias') {
    const source = g.value(v.def.of);
    view = invertViewOp(view, v.shape, v.def.op, source.shape);
    if (view === undefined) return undefined;
    v = source;
  }
  if (v.def.kind !== 'kernel' || v.placement !== undefined) return undefined;
  if (g.producer(v.id) === undefined) return undefined;
  return { root: v.id, view };
}
