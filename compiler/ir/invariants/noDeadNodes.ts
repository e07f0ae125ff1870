import type { Invariant } from './invariant.js';

/** Every node contributes to some output (graph inputs included: each sense input is read). */
export const noDeadNodes: Invariant = {
  name: 'no-dead-nodes',
  description: 'every node reaches an output',
  check(g) {
    const live = new Set<number>();
    const stack = g.outputs.map((o) => o.node);
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (live.has(id) || g.nodes[id] === undefined) continue;
      live.add(id);
      stack.push(...g.nodes[id].inputs);
    }
    return g.nodes.filter((n) => !live.has(n.id)).map((n) => `%${n.id} (${n.op}${n.op === 'input' || n.op === 'weight' ? ` ${n.attrs.name}` : ''}) reaches no output`);
  },
};
