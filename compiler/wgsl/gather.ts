/**
 * Row gathers: the embedding lookup (`out[..., :] = table[ids[...], :]`) and the zipper scatter,
 * where each prompt position takes its row from the token table (or the text embeddings) or from
 * one of the senses' embeddings, as a routing table built on the host says
 * (runtime/webgpu/zipRoutes.ts). One invocation per output element.
 */
import { LINEAR_WORKGROUP, ShaderBuilder } from './builder.js';
import { product, spreadWorkgroups, unravel } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface GatherDesc {
  readonly label?: string;
  /** `[vocab, ...row]`. */
  readonly table: TensorArg;
  /** int32 `[...ids]`. */
  readonly ids: TensorArg;
  /** `[...ids, ...row]`. Ids outside `[0, vocab)` produce zero rows. */
  readonly out: TensorArg;
}

const THREADS = 256;

export function gatherKernel(desc: GatherDesc): KernelSource {
  const label = desc.label ?? 'gather';
  const rowShape = desc.table.shape.slice(1);
  const want = [...desc.ids.shape, ...rowShape];
  if (desc.ids.dtype !== 'i32') throw new WgslDescriptorError(label, 'ids must be int32');
  if (!sameShape(desc.out.shape, want)) throw new WgslDescriptorError(label, `out is [${desc.out.shape.join(', ')}], expected [${want.join(', ')}]`);
  const b = new ShaderBuilder(label);
  const table = b.operand(desc.table, false);
  const ids = b.operand(desc.ids, false);
  const out = b.operand(desc.out, true);
  const n = product(want);
  const idx = unravel('i', want);
  const idIdx = idx.slice(0, desc.ids.shape.length);
  const rowIdx = idx.slice(desc.ids.shape.length);
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let id = ${b.loadInt(ids, idIdx)};
var w = 0u;
if (id >= 0 && id < ${desc.table.shape[0]}) { w = ${b.loadWord(table, ['u32(id)', ...rowIdx])}; }
${b.storeWord(out, idx, 'w')}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}

export interface ZipScatterDesc {
  readonly label?: string;
  /** Rows of non-placeholder positions: the token table `[vocab, hidden]` (looked up by the route's row) or the text embeddings `[batch, seq, hidden]` (read in place). */
  readonly base: { readonly kind: 'table'; readonly table: TensorArg } | { readonly kind: 'embeds'; readonly embeds: TensorArg };
  /** int32 `[batch, seq, 2]`: (0, token id) or (k + 1, row n of sense k). */
  readonly routes: TensorArg;
  /** Sense k's embeddings `[batch, tokens_k, hidden]`. */
  readonly senses: readonly TensorArg[];
  /** `[batch, seq, hidden]`. */
  readonly out: TensorArg;
}

export function zipScatterKernel(desc: ZipScatterDesc): KernelSource {
  const label = desc.label ?? 'zip';
  const [B, S, Hd] = desc.out.shape;
  if (desc.out.shape.length !== 3) throw new WgslDescriptorError(label, 'out must be [batch, seq, hidden]');
  if (!sameShape(desc.routes.shape, [B, S, 2]) || desc.routes.dtype !== 'i32') throw new WgslDescriptorError(label, `routes must be int32 [${B}, ${S}, 2]`);
  desc.senses.forEach((s, k) => {
    if (s.shape.length !== 3 || s.shape[0] !== B || s.shape[2] !== Hd) throw new WgslDescriptorError(label, `sense ${k} is [${s.shape.join(', ')}], expected [${B}, tokens, ${Hd}]`);
  });
  const b = new ShaderBuilder(label);
  const routes = b.operand(desc.routes, false);
  const base = b.operand(desc.base.kind === 'table' ? desc.base.table : desc.base.embeds, false);
  if (desc.base.kind === 'table' && (desc.base.table.shape.length !== 2 || desc.base.table.shape[1] !== Hd)) throw new WgslDescriptorError(label, `table must be [vocab, ${Hd}]`);
  if (desc.base.kind === 'embeds' && !sameShape(desc.base.embeds.shape, [B, S, Hd])) throw new WgslDescriptorError(label, `embeds must be [${B}, ${S}, ${Hd}]`);
  const senses = desc.senses.map((s) => b.operand(s, false));
  const out = b.operand(desc.out, true);
  const n = B * S * Hd;
  const [bi, pi, hi] = unravel('i', [B, S, Hd]);
  const baseRead =
    desc.base.kind === 'table'
      ? `if (row >= 0 && row < ${desc.base.table.shape[0]}) { w = ${b.loadWord(base, ['u32(row)', hi])}; }`
      : `w = ${b.loadWord(base, [bi, pi, hi])};`;
  const senseReads = desc.senses.map((s, k) => `case ${k + 1}: { if (row >= 0 && row < ${s.shape[1]}) { w = ${b.loadWord(senses[k], [bi, 'u32(row)', hi])}; } }`);
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let src = ${b.loadInt(routes, [bi, pi, '0u'])};
let row = ${b.loadInt(routes, [bi, pi, '1u'])};
var w = 0u;
switch src {
  case 0: { ${baseRead} }
${senseReads.map((l) => `  ${l}`).join('\n')}
  default: {}
}
${b.storeWord(out, [bi, pi, hi], 'w')}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
