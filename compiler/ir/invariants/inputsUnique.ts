import type { Invariant } from './invariant.js';

/** Graph input names are unique. */
export const inputsUnique: Invariant = {
  name: 'inputs-unique',
  description: 'graph input names are unique',
  check(g) {
    const seen = new Map<string, number>();
    const out: string[] = [];
    for (const n of g.nodes) {
      if (n.op !== 'input') continue;
      const other = seen.get(n.attrs.name);
      if (other !== undefined) out.push(`inputs %${other} and %${n.id} are both named \`${n.attrs.name}\``);
      seen.set(n.attrs.name, n.id);
    }
    return out;
  },
};
