import type { Invariant } from './invariant.js';

const DTYPES = new Set(['float32', 'float16', 'bfloat16', 'int32']);

/** Dtypes are known, and all float values and weights share one float dtype (the model's). */
export const floatDtypeUniform: Invariant = {
  name: 'float-dtype-uniform',
  description: 'dtypes are known and every float tensor and weight has the same float dtype',
  check(g) {
    const out: string[] = [];
    const floats = new Set<string>();
    for (const n of g.nodes) {
      if (!DTYPES.has(n.dtype)) out.push(`%${n.id} has unknown dtype ${n.dtype}`);
      else if (n.dtype !== 'int32') floats.add(n.dtype);
    }
    for (const w of g.weights) {
      if (!DTYPES.has(w.dtype) || w.dtype === 'int32') out.push(`weight \`${w.name}\` has dtype ${w.dtype}`);
      else floats.add(w.dtype);
    }
    if (floats.size > 1) out.push(`float tensors mix dtypes: ${[...floats].sort().join(', ')}`);
    return out;
  },
};
