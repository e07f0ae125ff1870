/**
 * Each invariant fails on a graph broken in the way it guards against (so none of them passes
 * vacuously), and names the node or weight involved.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, verifyGraph, type Graph, type IrNode } from '../../compiler/ir/index.js';
import { gpt2Whisper } from './models.js';

function base(): Graph {
  const g = buildGraph(gpt2Whisper()).graph;
  if (g === undefined) throw new Error('fixture failed to build');
  return g;
}

function withNode(g: Graph, id: number, change: (n: IrNode) => IrNode): Graph {
  return { ...g, nodes: g.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

function firstOf(g: Graph, op: IrNode['op']): IrNode {
  const n = g.nodes.find((x) => x.op === op);
  if (n === undefined) throw new Error(`no ${op}`);
  return n;
}

function broken(g: Graph): string[] {
  return [...new Set(verifyGraph(g).map((v) => v.invariant))];
}

describe('invariants catch broken graphs', () => {
  it('the unbroken fixture verifies', () => {
    expect(verifyGraph(base())).toEqual([]);
  });

  it('node-ids-dense: a renumbered node', () => {
    const g = base();
    expect(broken(withNode(g, 5, (n) => ({ ...n, id: 99 }) as IrNode))).toContain('node-ids-dense');
  });

  it('operands-defined-before-use: an operand from the future', () => {
    const g = base();
    const mm = firstOf(g, 'matmul');
    const v = verifyGraph(withNode(g, mm.id, (n) => ({ ...n, inputs: [n.inputs[0], g.nodes.length - 1] }) as IrNode));
    expect(v.find((x) => x.invariant === 'operands-defined-before-use')?.message).toContain(`%${mm.id}`);
  });

  it('arity-matches: a matmul with one operand', () => {
    const g = base();
    const mm = firstOf(g, 'matmul');
    expect(broken(withNode(g, mm.id, (n) => ({ ...n, inputs: [n.inputs[0]] }) as IrNode))).toContain('arity-matches');
  });

  it('types-agree: a stored shape that inference contradicts', () => {
    const g = base();
    const mm = firstOf(g, 'matmul');
    const v = verifyGraph(withNode(g, mm.id, (n) => ({ ...n, shape: [...n.shape.slice(0, -1), 7] }) as IrNode));
    expect(v.some((x) => x.invariant === 'types-agree' && x.message.includes('inference gives'))).toBe(true);
  });

  it('types-agree: a wrong category', () => {
    const g = base();
    const mm = firstOf(g, 'matmul');
    const v = verifyGraph(withNode(g, mm.id, (n) => ({ ...n, category: 'opaque' }) as IrNode));
    expect(v.some((x) => x.invariant === 'types-agree' && x.message.includes('category'))).toBe(true);
  });

  it('types-agree: gather indices that are not int32', () => {
    const g = base();
    const ids = firstOf(g, 'input');
    expect(broken(withNode(g, ids.id, (n) => ({ ...n, dtype: 'bfloat16' }) as IrNode))).toContain('types-agree');
  });

  it('symbols-declared: an undeclared symbol', () => {
    const g = base();
    expect(broken({ ...g, symbols: g.symbols.filter((s) => s.name !== 'seq') })).toContain('symbols-declared');
  });

  it('symbols-declared: a non-canonical dim', () => {
    const g = base();
    const ids = firstOf(g, 'input');
    expect(broken(withNode(g, ids.id, (n) => ({ ...n, shape: ['batch*1', 'seq'] }) as IrNode))).toContain('symbols-declared');
  });

  it('weights-exist: a weight node whose entry was removed', () => {
    const g = base();
    const w = firstOf(g, 'weight');
    const name = w.op === 'weight' ? w.attrs.name : '';
    const v = verifyGraph({ ...g, weights: g.weights.filter((x) => x.name !== name) });
    expect(v.find((x) => x.invariant === 'weights-exist')?.message).toContain(name);
  });

  it('weight-names-well-formed: a duplicate and a malformed name', () => {
    const g = base();
    const dup = verifyGraph({ ...g, weights: [...g.weights, g.weights[0]] });
    expect(dup.some((x) => x.invariant === 'weight-names-well-formed' && x.message.includes('twice'))).toBe(true);
    const bad = verifyGraph({ ...g, weights: [...g.weights, { ...g.weights[0], name: 'a..b', used: false }] });
    expect(bad.some((x) => x.invariant === 'weight-names-well-formed' && x.message.includes('a..b'))).toBe(true);
  });

  it('used-flags-truthful: a read weight marked unused', () => {
    const g = base();
    expect(broken({ ...g, weights: g.weights.map((w, i) => (i === 0 ? { ...w, used: false } : w)) })).toContain('used-flags-truthful');
  });

  it('outputs-defined and no-dead-nodes: an output pointing elsewhere', () => {
    const g = base();
    expect(broken({ ...g, outputs: [] })).toEqual(expect.arrayContaining(['outputs-defined', 'no-dead-nodes']));
    expect(broken({ ...g, outputs: [{ name: 'logits', node: g.nodes.length + 3 }] })).toContain('outputs-defined');
  });

  it('float-dtype-uniform: weights of two float dtypes', () => {
    const g = base();
    expect(broken({ ...g, weights: g.weights.map((w, i) => (i === 1 ? { ...w, dtype: 'float16' } : w)) })).toContain('float-dtype-uniform');
  });

  it('inputs-unique: two inputs with one name', () => {
    const g = base();
    const second = g.nodes.filter((n) => n.op === 'input')[1];
    expect(broken(withNode(g, second.id, (n) => ({ ...n, attrs: { name: 'input_ids', role: 'attention_mask', sense: undefined } }) as IrNode))).toContain('inputs-unique');
  });

  it('a throwing check becomes a violation, not a crash', () => {
    const g = base();
    const v = verifyGraph(g, [{ name: 'boom', description: 'throws', check: () => { throw new Error('bad'); } }]);
    expect(v).toEqual([{ invariant: 'boom', message: 'check failed: bad' }]);
  });
});
