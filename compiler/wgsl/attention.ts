/**
 * Flash-style scaled dot-product attention in one kernel. For each (b, h, i):
 *
 *   s_j = (q[b,h,i,:] · k[b,h/group,j,:]) · scale + bias[b,h,i,j] + mask(b,i,j)
 *   out[b,h,i,:] = Σ_j softmax(s)_j · v[b,h/group,j,:]
 *
 * with mask = 0 when j ≤ i + queryOffset and attention_mask[b,j] ≠ 0, else `negative` (causal
 * only). One invocation per query row holds q and its output accumulator in registers (vec4
 * lanes when the head dims allow); the workgroup stages blocks of keys and values in workgroup
 * memory and each row folds them in with an online softmax (running max and sum, rescaling the
 * accumulator when the max grows). Keys past a row's causal limit are skipped when the row sees
 * at least one key (their terms are exactly 0 in float32); a row that sees none attends to every
 * key with the same `negative` added, as the unfused graph does.
 */
import { ShaderBuilder, f32Literal } from './builder.js';
import { broadcastIndex, broadcastsTo } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';
import { pow2Threads } from './workgroupReduce.js';

export interface AttentionDesc {
  readonly label?: string;
  /** `[batch, heads, queries, headDim]`. */
  readonly q: TensorArg;
  /** `[batch, kvHeads, keys, headDim]`; query head h reads kv head ⌊h / (heads / kvHeads)⌋. */
  readonly k: TensorArg;
  /** `[batch, kvHeads, keys, valueDim]`. */
  readonly v: TensorArg;
  /** `[batch, heads, queries, valueDim]`. */
  readonly out: TensorArg;
  readonly scale: number;
  /** Additive scores, broadcast to `[batch, heads, queries, keys]`. */
  readonly bias?: TensorArg;
  readonly causal?: { readonly attentionMask: TensorArg; readonly negative: number; readonly queryOffset: number };
  /** Query rows per workgroup (a power of two ≤ 64); chosen from the shape when absent. */
  readonly queryTile?: number;
  /** Keys staged per block; chosen to fit 16 KiB of workgroup memory when absent. */
  readonly keyBlock?: number;
}

export function attentionKernel(desc: AttentionDesc): KernelSource {
  const label = desc.label ?? 'attention';
  const fail = (msg: string): never => {
    throw new WgslDescriptorError(label, msg);
  };
  if (desc.q.shape.length !== 4 || desc.k.shape.length !== 4 || desc.v.shape.length !== 4 || desc.out.shape.length !== 4) fail('q, k, v and out must be rank 4');
  const [B, H, Sq, D] = desc.q.shape;
  const [kb, KV, Sk, kd] = desc.k.shape;
  const [vb, vkv, vs, Dv] = desc.v.shape;
  if (kb !== B || vb !== B || vkv !== KV || vs !== Sk || kd !== D) fail(`k [${desc.k.shape.join(', ')}] / v [${desc.v.shape.join(', ')}] do not match q [${desc.q.shape.join(', ')}]`);
  if (H % KV !== 0) fail(`heads ${H} is not a multiple of kv heads ${KV}`);
  const outWant = [B, H, Sq, Dv];
  if (!desc.out.shape.every((d, i) => d === outWant[i])) fail(`out is [${desc.out.shape.join(', ')}], expected [${outWant.join(', ')}]`);
  if (Sk < 1) fail('attention over zero keys');
  const group = H / KV;
  const lanes = D % 4 === 0 && Dv % 4 === 0 ? 4 : 1;
  const vt = lanes === 4 ? 'vec4f' : 'f32';
  const D4 = D / lanes;
  const DV4 = Dv / lanes;
  const QT = desc.queryTile ?? pow2Threads(Sq, 1, 64);
  const BC = desc.keyBlock ?? Math.max(1, Math.min(32, Math.floor(4032 / (D + Dv))));
  if (BC * (D + Dv) * 4 + 8 > 16384) fail(`key block ${BC} needs more than 16 KiB of workgroup memory`);
  if (B * H > 65535) fail(`batch × heads = ${B * H} exceeds 65535 workgroups`);

  const b = new ShaderBuilder(label);
  const q = b.operand(desc.q, false);
  const k = b.operand(desc.k, false);
  const v = b.operand(desc.v, false);
  const out = b.operand(desc.out, true);
  const bias = desc.bias === undefined ? undefined : b.operand(desc.bias, false);
  if (desc.bias !== undefined && !broadcastsTo(desc.bias.shape, [B, H, Sq, Sk])) fail(`bias [${desc.bias.shape.join(', ')}] does not broadcast to [${[B, H, Sq, Sk].join(', ')}]`);
  const causal = desc.causal;
  const mask = causal === undefined ? undefined : b.operand(causal.attentionMask, false);
  if (causal !== undefined && !(causal.attentionMask.shape.length === 2 && causal.attentionMask.shape[0] === B && causal.attentionMask.shape[1] === Sk)) {
    fail(`attention mask is [${causal.attentionMask.shape.join(', ')}], expected [${B}, ${Sk}]`);
  }
  const nKeys = b.param(Sk);
  const offset = b.param(causal?.queryOffset ?? 0);

  const vec = (ref: typeof q, idx: (lane: number) => string[]): string =>
    lanes === 4 ? `vec4f(${[0, 1, 2, 3].map((t) => b.load(ref, idx(t))).join(', ')})` : b.load(ref, idx(0));
  const qs = Array.from({ length: D4 }, (_, c) => `q${c}`);
  const os = Array.from({ length: DV4 }, (_, c) => `o${c}`);
  const dotTerms = qs.map((qc, c) => (lanes === 4 ? `dot(${qc}, sK[kb + ${c}u])` : `${qc} * sK[kb + ${c}u]`));
  const maskAt = (key: string): string => `${b.load(mask as typeof q, ['bb', key])} != 0.0`;

  const body = `
let bh = wid.y;
let bb = bh / ${H}u;
let h = bh % ${H}u;
let kvh = h / ${group}u;
let i = wid.x * ${QT}u + lid;
let live = i < ${Sq}u;
let nk = ${nKeys};
let off = ${offset};
${qs.map((x) => `var ${x} = ${vt}(0.0);`).join('\n')}
if (live) {
${qs.map((x, c) => `  ${x} = ${vec(q, (t) => ['bb', 'h', 'i', `${c * lanes + t}u`])};`).join('\n')}
}
${
  causal === undefined
    ? 'let kEnd = nk;'
    : `let last = min(i + off, nk - 1u);
var sees = false;
if (live) {
  for (var j = 0u; j <= last; j++) {
    if (${maskAt('j')}) { sees = true; break; }
  }
}
if (live && !sees) { atomicStore(&blind, 1u); }
workgroupBarrier();
if (lid == 0u) { blindAll = atomicLoad(&blind); }
let anyBlind = workgroupUniformLoad(&blindAll);
// Keys any row of this workgroup still needs (all of them when some row sees none).
let lastRow = min(wid.x * ${QT}u + ${QT - 1}u, ${Sq - 1}u);
var kEnd = nk;
if (anyBlind == 0u) { kEnd = min(nk, lastRow + off + 1u); }`
}
var m = 0.0;
var l = 0.0;
var started = false;
${os.map((x) => `var ${x} = ${vt}(0.0);`).join('\n')}
for (var j0 = 0u; j0 < kEnd; j0 += ${BC}u) {
  for (var e = lid; e < ${BC * D4}u; e += ${QT}u) {
    let key = j0 + e / ${D4}u;
    let c = (e % ${D4}u) * ${lanes}u;
    var x = ${vt}(0.0);
    if (key < nk) { x = ${vec(k, (t) => ['bb', 'kvh', 'key', `c + ${t}u`])}; }
    sK[e] = x;
  }
  for (var e = lid; e < ${BC * DV4}u; e += ${QT}u) {
    let key = j0 + e / ${DV4}u;
    let c = (e % ${DV4}u) * ${lanes}u;
    var x = ${vt}(0.0);
    if (key < nk) { x = ${vec(v, (t) => ['bb', 'kvh', 'key', `c + ${t}u`])}; }
    sV[e] = x;
  }
  workgroupBarrier();
  if (live) {
    let n = min(${BC}u, nk - j0);
    for (var jj = 0u; jj < n; jj++) {
      let key = j0 + jj;
${causal === undefined ? '' : '      if (sees && key > last) { break; }'}
      let kb = jj * ${D4}u;
      var s = (${dotTerms.join(' + ')}) * ${f32Literal(desc.scale)};
${bias === undefined ? '' : `      s += ${b.load(bias, broadcastIndex((desc.bias as TensorArg).shape, ['bb', 'h', 'i', 'key'], [B, H, Sq, Sk]))};`}
${causal === undefined ? '' : `      if (key > i + off || !(${maskAt('key')})) { s += ${f32Literal(causal.negative)}; }`}
      if (!started) { m = s; started = true; }
      if (s > m) {
        let corr = exp(m - s);
        l *= corr;
${os.map((x) => `        ${x} *= corr;`).join('\n')}
        m = s;
      }
      let p = exp(s - m);
      l += p;
      let vb = jj * ${DV4}u;
${os.map((x, c) => `      ${x} += p * sV[vb + ${c}u];`).join('\n')}
    }
  }
  workgroupBarrier();
}
if (live) {
  let inv = 1.0 / l;
${os
  .flatMap((x, c) =>
    lanes === 4 ? [0, 1, 2, 3].map((t) => `  ${b.store(out, ['bb', 'h', 'i', `${c * 4 + t}u`], `${x}[${t}] * inv`)}`) : [`  ${b.store(out, ['bb', 'h', 'i', `${c}u`], `${x} * inv`)}`],
  )
  .join('\n')}
}`;
  const decl = [`var<workgroup> sK: array<${vt}, ${BC * D4}>;`, `var<workgroup> sV: array<${vt}, ${BC * DV4}>;`];
  if (causal !== undefined) decl.push('var<workgroup> blind: atomic<u32>;', 'var<workgroup> blindAll: u32;');
  return b.finish({ declarations: decl.join('\n'), workgroupSize: [QT], body, workgroups: [Math.ceil(Sq / QT), B * H, 1] });
}
