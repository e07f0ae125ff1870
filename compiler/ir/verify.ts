/** Runs the invariant table over a graph. A check that throws is itself reported as a violation. */
import { invariants, type Invariant } from './invariants/index.js';
import type { Graph } from './types.js';

export interface InvariantViolation {
  readonly invariant: string;
  readonly message: string;
}

export function verifyGraph(graph: Graph, table: readonly Invariant[] = invariants): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const inv of table) {
    try {
      for (const message of inv.check(graph)) out.push({ invariant: inv.name, message });
    } catch (error) {
      out.push({ invariant: inv.name, message: `check failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return out;
}
