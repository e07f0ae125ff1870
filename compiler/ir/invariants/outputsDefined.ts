import type { Invariant } from './invariant.js';

/** There is at least one output; each names an existing node, names unique. */
export const outputsDefined: Invariant = {
  name: 'outputs-defined',
  description: 'outputs exist, are uniquely named and refer to nodes',
  check(g) {
    const out: string[] = g.outputs.length === 0 ? ['the graph has no outputs'] : [];
    const seen = new Set<string>();
    for (const o of g.outputs) {
      if (!(Number.isInteger(o.node) && o.node >= 0 && o.node < g.nodes.length)) out.push(`output \`${o.name}\` refers to missing node %${o.node}`);
      if (seen.has(o.name)) out.push(`output \`${o.name}\` is listed twice`);
      seen.add(o.name);
    }
    return out;
  },
};
