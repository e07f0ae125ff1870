/**
 * The memory planner: offsets never overlap for buffers live at the same time (checked on every
 * family's plan and on random interval sets), the arena is never below the lower bound, in-place
 * sharing happens only where an input dies at the kernel writing the output, and greedy by size
 * reaches the lower bound on a textbook case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import { type ArenaBuffer, arenaConflicts, planMemory } from '../../compiler/plan/memory.js';
import { bindingsOf, graphOf, familyModels, llamaOnly } from './models.js';

describe('memory planner', () => {
  it('places concurrently live buffers apart in every family plan, within the arena, at aligned offsets', () => {
    for (const [, make] of [...familyModels.slice(0, 3), ['llama', () => llamaOnly(2)] as const]) {
      const m = make();
      const { plan } = planGraph(graphOf(m), bindingsOf(m, 'prefill', 2));
      const arena = plan.buffers.filter((b) => b.offset !== undefined);
      const buffers: ArenaBuffer[] = arena.map((b) => ({ id: b.id, bytes: b.bytes, first: b.live![0], last: b.live![1] }));
      const memory = {
        offsets: new Map(arena.map((b) => [b.id, b.offset!])),
        inPlaceOf: new Map(arena.filter((b) => b.inPlaceOf !== undefined).map((b) => [b.id, b.inPlaceOf!])),
        live: new Map(arena.map((b) => [b.id, b.live!])),
        arenaBytes: plan.memory.arenaBytes,
        naiveBytes: plan.memory.naiveBytes,
        lowerBoundBytes: plan.memory.lowerBoundBytes,
      };
      expect(arenaConflicts(buffers, memory)).toEqual([]);
      for (const b of arena) {
        expect(b.offset! % 256).toBe(0);
        expect(b.offset! + b.bytes).toBeLessThanOrEqual(plan.memory.arenaBytes);
      }
      expect(plan.memory.arenaBytes).toBeGreaterThanOrEqual(plan.memory.lowerBoundBytes);
      expect(plan.memory.arenaBytes).toBeLessThan(plan.memory.naiveBytes);
    }
  });

  it('shares storage in place only with an input that dies at that kernel', () => {
    const m = llamaOnly(2);
    const { plan } = planGraph(graphOf(m), bindingsOf(m));
    const shared = plan.buffers.filter((b) => b.inPlaceOf !== undefined);
    expect(shared.length).toBeGreaterThan(0);
    for (const b of shared) {
      const input = plan.buffers[b.inPlaceOf!];
      expect(input.offset).toBe(b.offset);
      expect(input.bytes).toBe(b.bytes);
      const writer = plan.kernels.findIndex((k) => k.outputs.some((o) => o.buffer === b.id));
      const lastRead = Math.max(...plan.kernels.flatMap((k, i) => (k.inputs.some((o) => o.buffer === input.id) ? [i] : [])));
      expect(lastRead).toBe(writer);
    }
  });

  it('reaches the lower bound when sizes nest (greedy by size)', () => {
    // a:[0,1] 4 KiB, b:[1,2] 2 KiB, c:[2,3] 4 KiB, d:[3,4] 1 KiB → peak 6 KiB at t=1 and t=2.
    const plan = planMemory(
      [
        { id: 0, bytes: 4096, first: 0, last: 1 },
        { id: 1, bytes: 2048, first: 1, last: 2 },
        { id: 2, bytes: 4096, first: 2, last: 3 },
        { id: 3, bytes: 1024, first: 3, last: 4 },
      ],
      [],
    );
    expect(plan.lowerBoundBytes).toBe(6144);
    expect(plan.arenaBytes).toBe(6144);
    expect(plan.naiveBytes).toBe(11264);
  });

  it('never overlaps live buffers and never beats the lower bound, for random lifetimes', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 5000 }), first: fc.integer({ min: -1, max: 30 }), span: fc.integer({ min: 0, max: 10 }) }), { maxLength: 40 }), (items) => {
        const buffers = items.map((x, id) => ({ id, bytes: x.bytes, first: x.first, last: x.first + x.span }));
        const plan = planMemory(buffers, []);
        expect(arenaConflicts(buffers, plan)).toEqual([]);
        expect(plan.arenaBytes).toBeGreaterThanOrEqual(plan.lowerBoundBytes);
        expect(plan.arenaBytes).toBeLessThanOrEqual(plan.naiveBytes);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
