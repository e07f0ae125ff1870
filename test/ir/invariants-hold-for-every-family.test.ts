/**
 * Every family lowers to a graph that satisfies the whole invariant table: ids, operand order,
 * arity, symbolic shapes and dtypes re-inferred, categories, the manifest and liveness.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, invariants, verifyGraph } from '../../compiler/ir/index.js';
import { familyModels } from './models.js';

describe('IR invariants hold for every family', () => {
  for (const [name, make] of familyModels) {
    it(`${name}: builds without diagnostics and verifies`, () => {
      const { graph, diagnostics } = buildGraph(make(), { debug: true });
      expect(diagnostics).toEqual([]);
      expect(graph).toBeDefined();
      expect(verifyGraph(graph!)).toEqual([]);
    });
  }

  it('the table names at least the invariants the README promises', () => {
    expect(invariants.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        'node-ids-dense',
        'operands-defined-before-use',
        'arity-matches',
        'types-agree',
        'symbols-declared',
        'weights-exist',
        'used-flags-truthful',
        'outputs-defined',
        'no-dead-nodes',
        'float-dtype-uniform',
      ]),
    );
  });
});
