import { isCanonicalDim, isSymbolName, symbolsOf } from '../dims.js';
import type { Invariant } from './invariant.js';

/** Dims are canonical, their symbols declared once each; weights are concrete. */
export const symbolsDeclared: Invariant = {
  name: 'symbols-declared',
  description: 'every dim is canonical and uses declared symbols; weight shapes are concrete positive integers',
  check(g) {
    const out: string[] = [];
    const declared = new Set<string>();
    for (const s of g.symbols) {
      if (!isSymbolName(s.name)) out.push(`symbol \`${s.name}\` is not a valid name`);
      if (declared.has(s.name)) out.push(`symbol \`${s.name}\` is declared twice`);
      declared.add(s.name);
    }
    for (const n of g.nodes) {
      for (const d of n.shape) {
        if (!isCanonicalDim(d)) out.push(`%${n.id} has a non-canonical dim \`${String(d)}\``);
        else for (const s of symbolsOf(d)) if (!declared.has(s)) out.push(`%${n.id} uses undeclared symbol \`${s}\``);
      }
    }
    for (const w of g.weights) {
      if (!w.shape.every((d) => Number.isSafeInteger(d) && d > 0)) out.push(`weight \`${w.name}\` has a non-concrete or empty shape [${w.shape.join(', ')}]`);
    }
    return out;
  },
};
