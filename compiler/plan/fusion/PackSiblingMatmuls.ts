/**
 * PackSiblingMatmuls (QKV packing): matmuls that read the same activation with weights of the
 * same inner size — q, k and v projections; SwiGLU's gate and up — become ONE matmul over the
 * weights concatenated along N at load time (a `prepare` concat), with one output per original
 * projection. Runs before MatmulEpilogue: it packs bare matmuls only, so a bias add already
 * fused into one projection would keep it apart.
 */
import type { OpAttrs } from '../../ir/types.js';
import { type Kernel, commonScope } from '../graph.js';
import type { MatmulParams } from '../types.js';
import { isPersistent } from './PrepareWeights.js';
import type { FusionPass } from './pass.js';

export const PackSiblingMatmuls: FusionPass = {
  name: 'PackSiblingMatmuls',
  description: 'projections of one input (q/k/v, gate/up) → one matmul over packed weights',
  run(g) {
    const groups = new Map<string, Kernel<'op'>[]>();
    for (const k of g.kernels) {
      if (k.kind !== 'op' || k.params.op !== 'matmul' || k.stage !== 'forward') continue;
      const attrs = k.params.attrs as OpAttrs['matmul'];
      const [a, b] = k.inputs;
      const w = g.value(b);
      if (attrs.transposeA || w.shape.length !== 2 || !isPersistent(g, b)) continue;
      const inner = attrs.transposeB ? w.shape[1] : w.shape[0];
      const key = `${a}|${attrs.transposeB}|${inner}|${w.dtype}`;
      groups.set(key, [...(groups.get(key) ?? []), k]);
    }
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const first = members[0];
      const attrs = first.params.attrs as OpAttrs['matmul'];
      const a = first.inputs[0];
      const weights = members.map((m) => m.inputs[1]);
      const widths = weights.map((w) => g.value(w).shape[attrs.transposeB ? 0 : 1]);
      const n = widths.reduce((s, x) => s + x, 0);
      const inner = g.value(weights[0]).shape[attrs.transposeB ? 1 : 0];
      const names = members.map((m) => shortName(g.value(m.inputs[1]).name));
      const packedShape = attrs.transposeB ? [n, inner] : [inner, n];
      const packed = g.addResult(packedShape, g.value(weights[0]).dtype, `packed[${names.join('|')}]`);
      g.addKernel<'op'>({
        kind: 'op',
        inputs: weights,
        roles: weights.map((_, i) => `x${i}`),
        outputs: [packed],
        params: { op: 'concat', attrs: { axis: attrs.transposeB ? 0 : 1 } },
        ir: [],
        scope: commonScope(members.map((m) => m.scope)),
        label: `pack ${names.join('|')}`,
        stage: 'prepare',
        order: -1,
      });
      let start = 0;
      const parts: MatmulParams['parts'][number][] = widths.map((w, i) => {
        const part = { name: g.value(weights[i]).name, start, end: start + w };
        start += w;
        return part;
      });
      const out0 = members[0].outputs[0];
      const os = g.value(out0).shape;
      const as = g.value(a).shape;
      const params: MatmulParams = {
        transposeA: false,
        transposeB: attrs.transposeB,
        m: as[as.length - 2],
        n,
        k: inner,
        batch: os.slice(0, -2).reduce((p, d) => p * d, 1),
        prologue: null,
        parts,
        outputs: widths.map((w, i) => ({ width: w, program: [{ op: 'acc', part: i }], rope: null })),
      };
      g.addKernel<'matmul'>({
        kind: 'matmul',
        inputs: [a, packed],
        roles: ['a', 'b'],
        outputs: members.map((m) => m.outputs[0]),
        params,
        ir: members.flatMap((m) => m.ir).sort((x, y) => x - y),
        scope: commonScope(members.map((m) => m.scope)),
        label: `matmul [${names.join('|')}]`,
        stage: 'forward',
        order: Math.min(...members.map((m) => m.order)),
      });
      g.removeKernels(members.map((m) => m.id));
    }
  },
};

/** `…self_attn.q_proj.weight` → `q_proj`. */
function shortName(name: string): string {
  const parts = name.split('.');
  return parts.length >= 2 ? parts[parts.length - 2] : name;
}
