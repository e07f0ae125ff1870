import type { Invariant } from './invariant.js';

/** Every `weight` node reads a manifest entry, and no two nodes read the same one. */
export const weightsExist: Invariant = {
  name: 'weights-exist',
  description: 'every weight node names a manifest entry, one node per entry',
  check(g) {
    const names = new Set(g.weights.map((w) => w.name));
    const readers = new Map<string, number>();
    const out: string[] = [];
    for (const n of g.nodes) {
      if (n.op !== 'weight') continue;
      const name = n.attrs.name;
      if (!names.has(name)) out.push(`%${n.id} reads \`${name}\`, which is not in the manifest`);
      const other = readers.get(name);
      if (other !== undefined) out.push(`%${n.id} and %${other} both read \`${name}\``);
      readers.set(name, n.id);
    }
    return out;
  },
};
