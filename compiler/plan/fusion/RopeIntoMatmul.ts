/**
 * RopeIntoMatmul: a rotary embedding on a projection's heads — rope(transpose(reshape(matmul
 * output))) — is applied in the matmul's epilogue, per head, before the write; the rotated
 * tensor is then a plain view of the matmul's output. Runs after MatmulEpilogue (a q/k bias is
 * added before the rotation) and before KvCacheInPlace (the cache stores rotated keys).
 */
import type { OpAttrs } from '../../ir/types.js';
import type { KernelGraph } from '../graph.js';
import type { FusionPass } from './pass.js';

export const RopeIntoMatmul: FusionPass = {
  name: 'RopeIntoMatmul',
  description: 'rotary embedding on q/k heads → the projection matmul epilogue',
  run(g) {
    for (const rope of [...g.kernels]) {
      if (rope.kind !== 'op' || rope.params.op !== 'rope') continue;
      const [x, positions] = rope.inputs;
      const site = headSplitOf(g, x);
      if (site === undefined) continue;
      const kernel = g.producer(site.output);
      if (kernel === undefined || kernel.kind !== 'matmul') continue;
      const index = kernel.outputs.indexOf(site.output);
      const out = kernel.params.outputs[index];
      if (out.rope !== null) continue;
      const attrs = rope.params.attrs as OpAttrs['rope'];
      const [b, s] = g.value(site.output).shape;
      const ps = g.value(positions).shape;
      if (ps.length !== 2 || ps[0] !== b || ps[1] !== s || kernel.params.batch !== b || kernel.params.m !== s) continue;
      g.setInputs(kernel, [...kernel.inputs, positions], [...kernel.roles, 'positions']);
      const outputs = [...kernel.params.outputs];
      outputs[index] = { ...out, rope: { positions: kernel.inputs.length - 1, theta: attrs.theta, rotaryDim: attrs.rotaryDim, headDim: site.headDim } };
      kernel.params = { ...kernel.params, outputs };
      kernel.ir = [...kernel.ir, ...rope.ir].sort((p, q) => p - q);
      g.replaceUses(rope.outputs[0], x);
      g.removeKernels([rope.id]);
    }
  },
};

/**
 * When `value` is transpose(reshape(o), [0, 2, 1, 3]) of a matmul output o `[b, s, heads·d]`
 * with every step used once, the output and the head width.
 */
function headSplitOf(g: KernelGraph, value: number): { output: number; headDim: number } | undefined {
  const t = g.value(value);
  if (t.def.kind !== 'alias' || t.def.op.op !== 'transpose' || t.def.op.perm.join() !== '0,2,1,3' || g.uses(value) !== 1) return undefined;
  const r = g.value(t.def.of);
  if (r.def.kind !== 'alias' || r.def.op.op !== 'reshape' || r.shape.length !== 4 || g.uses(r.id) !== 1) return undefined;
  const o = g.value(r.def.of);
  if (o.def.kind !== 'kernel' || o.shape.length !== 3 || g.uses(o.id) !== 1) return undefined;
  if (o.shape[0] !== r.shape[0] || o.shape[1] !== r.shape[1] || o.shape[2] !== r.shape[2] * r.shape[3]) return undefined;
  return { output: o.id, headDim: r.shape[3] };
}
