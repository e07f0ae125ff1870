/**
 * The activation arena on a device whose storage bindings are smaller than it (`arenaLayout`):
 * chunks cover the arena in order, each within the limit; every plan buffer lies wholly inside one
 * chunk at its arena offset, or — when it would straddle a chunk boundary — gets a buffer of its
 * own; one chunk when the arena fits; a tensor larger than the limit is refused, by name.
 */
import { describe, expect, it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import type { Plan } from '../../compiler/plan/types.js';
import { PlanLoweringError, arenaLayout } from '../../compiler/wgsl/plan/operands.js';
import { graphOf, tinyAvlm } from '../plan/models.js';

function prefillPlan(): Plan {
  const m = tinyAvlm();
  const seq = m.sequenceLength;
  return planGraph(graphOf(m), { batch: 2, text: m.textTokens, seq, past: 0, queries: seq }, {}).plan;
}

describe('arenaLayout', () => {
  const plan = prefillPlan();
  const placed = plan.buffers.filter((b) => b.offset !== undefined);
  const largest = Math.max(...placed.map((b) => b.bytes));

  it('keeps the arena whole when it fits', () => {
    const layout = arenaLayout(plan, plan.memory.arenaBytes);
    expect(layout.chunks).toEqual([{ start: 0, bytes: plan.memory.arenaBytes }]);
    expect(layout.spilled).toEqual([]);
    for (const b of placed) expect(layout.placement.get(b.id)).toEqual({ chunk: 0, offset: b.offset });
  });

  for (const parts of [2, 3, 5]) {
    it(`places every buffer in one chunk or a buffer of its own (limit ≈ arena / ${parts})`, () => {
      const limit = Math.max(largest, Math.ceil(plan.memory.arenaBytes / parts));
      const layout = arenaLayout(plan, limit);
      expect(layout.chunks.length).toBeGreaterThan(1);
      let at = 0;
      for (const c of layout.chunks) {
        expect(c.start).toBe(at);
        expect(c.bytes).toBeLessThanOrEqual(limit);
        at += c.bytes;
      }
      expect(at).toBe(plan.memory.arenaBytes);
      const spilled = new Set(layout.spilled.map((b) => b.id));
      for (const b of placed) {
        const place = layout.placement.get(b.id);
        expect(place === undefined, b.name).toBe(spilled.has(b.id));
        if (place === undefined) continue;
        const chunk = layout.chunks[place.chunk];
        // Same arena address, wholly inside its chunk.
        expect(chunk.start + place.offset).toBe(b.offset);
        expect(place.offset + b.bytes).toBeLessThanOrEqual(chunk.bytes);
      }
      for (const b of layout.spilled) {
        const start = b.offset as number;
        const inside = layout.chunks.some((c) => start >= c.start && start + b.bytes <= c.start + c.bytes);
        expect(inside, `${b.name} spilled though it fits a chunk`).toBe(false);
      }
    });
  }

  it('refuses a tensor larger than a binding, naming it', () => {
    const big = placed.find((b) => b.bytes === largest);
    expect(() => arenaLayout(plan, largest - 4)).toThrow(PlanLoweringError);
    expect(() => arenaLayout(plan, largest - 4)).toThrow(`\`${big?.name}\` needs ${largest} bytes`);
  });
});
