/**
 * AttentionFusion: scores = matmul(q, k, transposeB) → mul(scale)? → add(bias | causal mask)* →
 * softmax(last axis) → matmul(probs, v), with GQA `repeat`s on k and v, becomes ONE flash-style
 * `attention` kernel. The causal mask (built from the attention mask, or its last row in decode)
 * is computed in the kernel from `attention_mask`; any other additive term is a `bias` operand.
 * Must run before MatmulEpilogue, which would otherwise swallow the scale and the mask into the
 * scores matmul and break the pattern (tested in test/plan/fusion-order).
 */
import type { OpAttrs } from '../../ir/types.js';
import { type AnyKernel, type Kernel, type KernelGraph, commonScope } from '../graph.js';
import type { AttentionParams } from '../types.js';
import type { FusionPass } from './pass.js';

export const AttentionFusion: FusionPass = {
  name: 'AttentionFusion',
  description: 'q·kᵀ, scale, bias/mask, softmax, ·v (+ GQA repeat) → one flash attention kernel',
  run(g, ctx) {
    for (const softmax of [...g.kernels]) {
      if (softmax.kind !== 'op' || softmax.params.op !== 'softmax') continue;
      const match = matchAttention(g, softmax);
      if (match === undefined) continue;
      const { q, k, v, group, scale, bias, causal, pv, members } = match;
      const [batch, heads, queries, headDim] = g.value(q).shape;
      const [, kvHeads, keys] = g.value(k).shape;
      const valueDim = g.value(v).shape[3];
      const inputs = [q, k, v];
      const roles = ['q', 'k', 'v'];
      let biasIndex: number | null = null;
      if (bias !== undefined) {
        biasIndex = inputs.length;
        inputs.push(bias);
        roles.push('bias');
      }
      let causalParams: AttentionParams['causal'] = null;
      if (causal !== undefined) {
        causalParams = { attentionMask: inputs.length, negative: causal.negative, queryOffset: causal.queryOffset };
        inputs.push(causal.attentionMask);
        roles.push('attention_mask');
      }
      const params: AttentionParams = {
        batch,
        heads,
        kvHeads,
        group,
        queries,
        keys,
        headDim,
        valueDim,
        scale,
        blockSize: ctx.attentionBlockSize,
        bias: biasIndex,
        causal: causalParams,
      };
      g.addKernel<'attention'>({
        kind: 'attention',
        inputs,
        roles,
        outputs: [pv.outputs[0]],
        params,
        ir: members.flatMap((m) => m.ir).sort((a, b) => a - b),
        scope: commonScope(members.map((m) => m.scope)),
        label: `flash_attention${group > 1 ? ` gqa×${group}` : ''}${causal !== undefined ? ' causal' : ''}${bias !== undefined ? ' +bias' : ''}`,
        stage: 'forward',
        order: pv.order,
      });
      g.removeKernels(members.map((m) => m.id));
    }
  },
};

interface AttentionMatch {
  readonly q: number;
  readonly k: number;
  readonly v: number;
  readonly group: number;
  readonly scale: number;
  readonly bias: number | undefined;
  readonly causal: { readonly attentionMask: number; readonly negative: number; readonly queryOffset: number } | undefined;
  readonly pv: AnyKernel;
  readonly members: AnyKernel[];
}

function opKernel(g: KernelGraph, value: number, op: string): Kernel<'op'> | undefined {
  const p = g.producer(value);
  return p !== undefined && p.kind === 'op' && p.params.op === op && g.value(value).def.kind === 'kernel' ? p : undefined;
}

function matchAttention(g: KernelGraph, softmax: AnyKernel): AttentionMatch | undefined {
  if (softmax.kind !== 'op') return undefined;
  const probs = softmax.outputs[0];
  const rank = g.value(probs).shape.length;
  const axis = (softmax.params.attrs as OpAttrs['softmax']).axis;
  if (rank !== 4 || (axis !== -1 && axis !== rank - 1)) return undefined;
  const members: AnyKernel[] = [softmax];
  // Walk back from the softmax input through the additive terms and the scale.
  let x = softmax.inputs[0];
  const addends: number[] = [];
  let scale = 1;
  for (;;) {
    if (g.uses(x) !== 1) return undefined;
    const add = opKernel(g, x, 'add');
    if (add !== undefined) {
      addends.push(add.inputs[1]);
      members.push(add);
      x = add.inputs[0];
      continue;
    }
    const mul = opKernel(g, x, 'mul');
    if (mul !== undefined) {
      const c = g.value(mul.inputs[1]).def;
      if (c.kind !== 'constant' || g.value(mul.inputs[1]).shape.length !== 0) return undefined;
      scale *= c.value;
      members.push(mul);
      x = mul.inputs[0];
      continue;
    }
    break;
  }
  const qk = opKernel(g, x, 'matmul');
  if (qk === undefined || qk.kind !== 'op') return undefined;
  const qkAttrs = qk.params.attrs as OpAttrs['matmul'];
  if (qkAttrs.transposeA || !qkAttrs.transposeB) return undefined;
  members.push(qk);
  // The weighted sum: the probabilities' one consumer.
  if (g.uses(probs) !== 1) return undefined;
  const pv = g.readers(probs)[0];
  if (pv === undefined || pv.kind !== 'op' || pv.params.op !== 'matmul' || pv.inputs[0] !== probs) return undefined;
  const pvAttrs = pv.params.attrs as OpAttrs['matmul'];
  if (pvAttrs.transposeA || pvAttrs.transposeB) return undefined;
  members.push(pv);
  // GQA: k and v repeated along heads by the same factor.
  const unrepeat = (value: number): { source: number; times: number } => {
    const r = opKernel(g, value, 'repeat');
    if (r === undefined || g.uses(value) !== 1) return { source: value, times: 1 };
    const attrs = r.params.attrs as OpAttrs['repeat'];
    if (attrs.axis !== 1) return { source: value, times: 1 };
    members.push(r);
    return { source: r.inputs[0], times: attrs.times };
  };
  const k = unrepeat(qk.inputs[1]);
  const v = unrepeat(pv.inputs[1]);
  if (k.times !== v.times) return undefined;
  const q = qk.inputs[0];
  const [qs, ks, vs] = [g.value(q).shape, g.value(k.source).shape, g.value(v.source).shape];
  if (qs.length !== 4 || ks.length !== 4 || vs.length !== 4) return undefined;
  if (qs[0] !== ks[0] || ks[0] !== vs[0] || qs[1] !== ks[1] * k.times || ks[1] !== vs[1] || ks[2] !== vs[2] || qs[3] !== ks[3]) return undefined;
  // Additive terms: at most one causal mask (from attention_mask) and one bias.
  let bias: number | undefined;
  let causal: AttentionMatch['causal'];
  for (const term of addends) {
    const mask = causalMaskOf(g, term, qs[2], ks[2]);
    if (mask !== undefined && causal === undefined) {
      causal = mask;
      continue;
    }
    if (bias !== undefined) return undefined;
    bias = term;
  }
  return { q, k: k.source, v: v.source, group: k.times, scale, bias, causal, pv, members };
}

/** A `causal_mask` output, or a slice of its query rows (decode), as the kernel's causal parameters. */
function causalMaskOf(g: KernelGraph, value: number, queries: number, keys: number): AttentionMatch['causal'] {
  let v = g.value(value);
  let queryOffset = 0;
  if (v.def.kind === 'alias') {
    const op = v.def.op;
    if (op.op !== 'slice' || op.axis !== 2) return undefined;
    queryOffset = op.start;
    v = g.value(v.def.of);
  }
  const producer = opKernel(g, v.id, 'causal_mask');
  if (producer === undefined) return undefined;
  const full = v.shape;
  if (full[3] !== keys || queryOffset + queries > full[2]) return undefined;
  return { attentionMask: producer.inputs[0], negative: (producer.params.attrs as OpAttrs['causal_mask']).negative, queryOffset };
}
