/**
 * Data movement the planner could not fold into a view: reshape, NumPy broadcast, transpose,
 * slice, repeat_interleave and concat, as one copy kernel that computes each output element's
 * source index. Copies raw 32-bit words, so float32 and int32 move alike.
 */
import { LINEAR_WORKGROUP, ShaderBuilder } from './builder.js';
import { broadcastIndex, broadcastsTo, divExpr, product, spreadWorkgroups, sumExpr, unravel, u32 } from './layout.js';
import type { KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export type CopySource =
  /** Same elements in row-major order, another shape. */
  | { readonly kind: 'reshape'; readonly input: TensorArg }
  | { readonly kind: 'broadcast'; readonly input: TensorArg }
  /** Output axis a = input axis perm[a]. */
  | { readonly kind: 'transpose'; readonly input: TensorArg; readonly perm: readonly number[] }
  /** Output = input[..., start : start + out.shape[axis], ...]. */
  | { readonly kind: 'slice'; readonly input: TensorArg; readonly axis: number; readonly start: number }
  /** Each index of `axis` repeated `times` in place (torch.repeat_interleave). */
  | { readonly kind: 'repeat'; readonly input: TensorArg; readonly axis: number; readonly times: number }
  | { readonly kind: 'concat'; readonly inputs: readonly TensorArg[]; readonly axis: number };

export interface CopyDesc {
  readonly label?: string;
  readonly out: TensorArg;
  readonly source: CopySource;
}

const THREADS = 256;

export function copyKernel(desc: CopyDesc): KernelSource {
  const src = desc.source;
  const label = desc.label ?? src.kind;
  const fail = (msg: string): never => {
    throw new WgslDescriptorError(label, msg);
  };
  const shape = desc.out.shape;
  const rank = shape.length;
  const n = product(shape);
  const b = new ShaderBuilder(label);
  const idx = unravel('i', shape);
  const lines: string[] = [];
  const inputs = src.kind === 'concat' ? src.inputs : [src.input];
  for (const t of inputs) if (t.dtype !== desc.out.dtype) fail(`input is ${t.dtype} but the output is ${desc.out.dtype}`);
  const refs = inputs.map((t) => b.operand(t, false));
  const out = b.operand(desc.out, true);
  switch (src.kind) {
    case 'reshape':
      if (product(src.input.shape) !== n) fail('reshape changes the element count');
      lines.push(`w = ${b.loadWord(refs[0], unravel('i', src.input.shape))};`);
      break;
    case 'broadcast':
      if (!broadcastsTo(src.input.shape, shape)) fail(`[${src.input.shape.join(', ')}] does not broadcast to [${shape.join(', ')}]`);
      lines.push(`w = ${b.loadWord(refs[0], broadcastIndex(src.input.shape, idx, shape))};`);
      break;
    case 'transpose': {
      const perm = src.perm;
      if (perm.length !== rank || src.input.shape.length !== rank || !perm.every((p, a) => src.input.shape[p] === shape[a])) fail(`transpose (${perm.join(', ')}) does not map [${src.input.shape.join(', ')}] to [${shape.join(', ')}]`);
      const inIdx = new Array<string>(rank);
      perm.forEach((p, a) => (inIdx[p] = idx[a]));
      lines.push(`w = ${b.loadWord(refs[0], inIdx)};`);
      break;
    }
    case 'slice': {
      const ax = src.axis;
      if (src.input.shape.length !== rank || src.start + shape[ax] > src.input.shape[ax] || src.input.shape.some((d, a) => a !== ax && d !== shape[a])) fail('slice shapes disagree');
      lines.push(`w = ${b.loadWord(refs[0], idx.map((e, a) => (a === ax ? sumExpr([e, u32(src.start)]) : e)))};`);
      break;
    }
    case 'repeat': {
      const ax = src.axis;
      if (src.input.shape.length !== rank || src.input.shape[ax] * src.times !== shape[ax] || src.input.shape.some((d, a) => a !== ax && d !== shape[a])) fail('repeat shapes disagree');
      lines.push(`w = ${b.loadWord(refs[0], idx.map((e, a) => (a === ax ? divExpr(e, src.times) : e)))};`);
      break;
    }
    case 'concat': {
      const ax = src.axis;
      let start = 0;
      src.inputs.forEach((t, k) => {
        if (t.shape.length !== rank || t.shape.some((d, a) => a !== ax && d !== shape[a])) fail(`concat input ${k} [${t.shape.join(', ')}] does not fit [${shape.join(', ')}]`);
        const end = start + t.shape[ax];
        const read = `w = ${b.loadWord(refs[k], idx.map((e, a) => (a === ax ? `${e.includes(' ') ? `(${e})` : e} - ${u32(start)}` : e)))};`;
        lines.push(k === 0 ? `if (${idx[ax]} < ${u32(end)}) { ${read} }` : `else if (${idx[ax]} < ${u32(end)}) { ${read} }`);
        start = end;
      });
      if (start !== shape[ax]) fail(`concat inputs cover ${start} of ${shape[ax]} along axis ${ax}`);
      break;
    }
  }
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
var w = 0u;
${lines.join('\n')}
${b.storeWord(out, idx, 'w')}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}
