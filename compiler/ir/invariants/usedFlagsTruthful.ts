import type { Invariant } from './invariant.js';

/** A manifest entry is `used` exactly when some node reads it. */
export const usedFlagsTruthful: Invariant = {
  name: 'used-flags-truthful',
  description: 'a manifest entry is marked used exactly when a weight node reads it',
  check(g) {
    const read = new Set(g.nodes.flatMap((n) => (n.op === 'weight' ? [n.attrs.name] : [])));
    return g.weights.flatMap((w) => (w.used === read.has(w.name) ? [] : [`weight \`${w.name}\` is marked used: ${w.used} but is ${read.has(w.name) ? '' : 'never '}read`]));
  },
};
