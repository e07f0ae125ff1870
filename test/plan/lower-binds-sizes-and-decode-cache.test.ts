/**
 * Lowering: one op kernel per IR op at concrete sizes in prefill; in decode, no senses or
 * zipper, one new query position, a `past` input per layer for keys and values appended by a
 * concat, the mask over past + 1 keys; and the bindings check against the context.
 */
import { describe, expect, it } from 'vitest';
import { evalShape } from '../../compiler/ir/dims.js';
import { planBindings } from '../../compiler/plan/index.js';
import { lowerGraph } from '../../compiler/plan/lower.js';
import { countKinds, graphOf, llamaOnly, tinyAvlm } from './models.js';

describe('lowering', () => {
  it('prefill: one op kernel per IR op, every shape evaluated at the bindings', () => {
    const m = tinyAvlm();
    const ir = graphOf(m);
    const { graph, ops } = lowerGraph(ir, { mode: 'prefill', batch: 3, seq: m.sequenceLength });
    const sources = new Set(['input', 'weight', 'constant']);
    expect(ops).toBe(ir.nodes.filter((n) => !sources.has(n.op)).length);
    for (const k of graph.kernels) {
      const node = ir.nodes[k.ir[0]];
      expect(graph.value(k.outputs[0]).shape).toEqual(evalShape(node.shape, { batch: 3, seq: m.sequenceLength }));
    }
  });

  it('decode: the decoder only, one query, past caches appended per layer', () => {
    const m = tinyAvlm();
    const { graph } = lowerGraph(graphOf(m), { mode: 'decode', batch: 2, seq: 40 });
    expect(graph.inputs.map((i) => i.name).filter((n) => !n.startsWith('past_'))).toEqual(['input_ids', 'attention_mask', 'position_ids']);
    expect(graph.inputs.filter((i) => i.role === 'past_key').map((i) => graph.value(i.value).shape)).toEqual([
      [2, 2, 40, 16],
      [2, 2, 40, 16],
    ]);
    expect(graph.value(graph.inputs[1].value).shape).toEqual([2, 41]);
    const kinds = countKinds(graph.kernels);
    expect(kinds['op:zip'] ?? 0).toBe(0);
    expect(kinds['op:conv2d'] ?? 0).toBe(0);
    expect(kinds['op:concat']).toBe(4);
    expect(graph.value(graph.outputs[0].value).shape).toEqual([2, 1, 258]);
    expect(graph.outputs.map((o) => o.name)).toEqual(['logits', 'present_key_0', 'present_value_0', 'present_key_1', 'present_value_1']);
  });

  it('checks that the prompt (and the decoded token) fit the context', () => {
    const m = llamaOnly(1, { context: 20 });
    expect(planBindings(m, { text: 20 })).toMatchObject({ seq: 20, queries: 20 });
    const over = planBindings(m, { text: 20, mode: 'decode' });
    expect('code' in over && over.code).toBe('MIMO4101');
    expect('help' in over && over.help).toContain('at most 19 text tokens');
  });
});
