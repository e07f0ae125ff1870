/**
 * NormPrologue: a `norm` kernel whose only reader is one matmul (as its A operand) becomes that
 * matmul's prologue: the matmul normalizes each row of A as it loads it (the row is read whole
 * for the product anyway), and the normed activation is never written. Runs after
 * PackSiblingMatmuls (q, k and v are one reader then, not three) and after NormFusion (a norm
 * that must also write the residual sum stays a kernel).
 */
import type { FusionPass } from './pass.js';

export const NormPrologue: FusionPass = {
  name: 'NormPrologue',
  description: 'a norm read by one matmul → that matmul’s row prologue',
  run(g) {
    for (const norm of [...g.kernels]) {
      if (norm.kind !== 'norm' || norm.params.writeSum) continue;
      const p = norm.params.prologue;
      if (p.length !== 1 || p[0].op !== 'load') continue;
      const normed = norm.outputs[0];
      if (g.uses(normed) !== 1) continue;
      const matmul = g.readers(normed)[0];
      if (matmul === undefined || matmul.kind !== 'matmul' || matmul.inputs[0] !== normed || matmul.inputs.indexOf(normed, 1) >= 0) continue;
      if (matmul.params.prologue !== null || matmul.params.transposeA) continue;
      const x = norm.inputs[p[0].input];
      const gamma = norm.inputs[norm.params.gamma];
      const beta = norm.params.beta === null ? null : norm.inputs[norm.params.beta];
      const gammaIndex = matmul.inputs.length;
      g.removeKernels([norm.id]);
      g.setInputs(matmul, [x, ...matmul.inputs.slice(1), gamma, ...(beta === null ? [] : [beta])], [...matmul.roles, 'gamma', ...(beta === null ? [] : ['beta'])]);
      matmul.params = {
        ...matmul.params,
        prologue: { fn: norm.params.fn, eps: norm.params.eps, gamma: gammaIndex, beta: beta === null ? null : gammaIndex + 1 },
      };
      matmul.ir = [...matmul.ir, ...norm.ir].sort((a, b) => a - b);
    }
  },
};
