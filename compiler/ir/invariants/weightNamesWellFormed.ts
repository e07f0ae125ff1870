import type { Invariant } from './invariant.js';

const NAME = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Manifest names are unique dotted checkpoint paths. */
export const weightNamesWellFormed: Invariant = {
  name: 'weight-names-well-formed',
  description: 'manifest names are unique dotted paths of [A-Za-z0-9_] segments',
  check(g) {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const w of g.weights) {
      if (!NAME.test(w.name)) out.push(`weight name \`${w.name}\` is not a dotted path`);
      if (seen.has(w.name)) out.push(`weight \`${w.name}\` is listed twice`);
      seen.add(w.name);
    }
    return out;
  },
};
