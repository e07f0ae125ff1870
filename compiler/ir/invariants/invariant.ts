/** One IR invariant: a name, what it guarantees, and a check returning one message per violation. */
import type { Graph } from '../types.js';

export interface Invariant {
  /** Kebab-case, stable: tests and debug messages name it. */
  readonly name: string;
  readonly description: string;
  check(graph: Graph): readonly string[];
}
