import type { Invariant } from './invariant.js';

/** Every operand is an earlier node: the list is a topological order and there are no cycles. */
export const operandsDefinedBeforeUse: Invariant = {
  name: 'operands-defined-before-use',
  description: 'every operand id refers to an earlier node',
  check: (g) =>
    g.nodes.flatMap((n, i) =>
      n.inputs.filter((x) => !(Number.isInteger(x) && x >= 0 && x < i)).map((x) => `%${i} (${n.op}) uses %${x} before it is defined`),
    ),
};
