import type { Invariant } from './invariant.js';

/** `nodes[i].id === i`, so ids index the node list. */
export const nodeIdsDense: Invariant = {
  name: 'node-ids-dense',
  description: 'node ids are their positions in the node list',
  check: (g) => g.nodes.flatMap((n, i) => (n.id === i ? [] : [`node at position ${i} has id %${n.id}`])),
};
