/**
 * Direct convolution, 1-D or 2-D, PyTorch layouts (x `[N, Cin, (H,) W]`, w `[Cout, Cin/groups,
 * (KH,) KW]`), zero padding, groups, optional bias, then an elementwise epilogue (`acc(0)` = the
 * convolution plus bias; loads broadcast to the output). Patch embeddings are the stride = kernel
 * case. One invocation per output element; loop bounds come from the uniform block.
 */
import { LINEAR_WORKGROUP, ShaderBuilder, type OperandRef } from './builder.js';
import { loadRefs } from './elementwise.js';
import { broadcastIndex, product, spreadWorkgroups, unravel } from './layout.js';
import { ACC_ONLY, compileProgram, programUses } from './program.js';
import type { KernelSource, Program, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface ConvDesc {
  readonly label?: string;
  readonly x: TensorArg;
  readonly w: TensorArg;
  readonly bias?: TensorArg;
  readonly out: TensorArg;
  /** One entry per spatial axis. */
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly groups: number;
  readonly program?: Program;
  readonly loads?: readonly TensorArg[];
}

const THREADS = 256;

export function convKernel(desc: ConvDesc): KernelSource {
  const label = desc.label ?? 'conv';
  const fail = (msg: string): never => {
    throw new WgslDescriptorError(label, msg);
  };
  const dims = desc.x.shape.length - 2;
  if (dims !== 1 && dims !== 2) fail('x must be [N, C, W] or [N, C, H, W]');
  if (desc.w.shape.length !== dims + 2 || desc.out.shape.length !== dims + 2) fail('w and out must have the rank of x');
  if (desc.stride.length !== dims || desc.padding.length !== dims) fail(`stride and padding need ${dims} entries`);
  const [N, Cin] = desc.x.shape;
  const [Cout, Cg] = desc.w.shape;
  const G = desc.groups;
  if (Cin % G !== 0 || Cout % G !== 0 || Cin / G !== Cg) fail(`channels ${Cin}→${Cout} do not split into ${G} groups of ${Cg} inputs`);
  const inSp = desc.x.shape.slice(2);
  const kSp = desc.w.shape.slice(2);
  const outSp = inSp.map((s, a) => Math.floor((s + 2 * desc.padding[a] - kSp[a]) / desc.stride[a]) + 1);
  const want = [N, Cout, ...outSp];
  if (!desc.out.shape.every((d, i) => d === want[i])) fail(`out is [${desc.out.shape.join(', ')}], expected [${want.join(', ')}]`);
  if (desc.bias !== undefined && product(desc.bias.shape) !== Cout) fail(`bias has ${product(desc.bias.shape)} elements for ${Cout} channels`);
  const program = desc.program ?? ACC_ONLY;
  const loads = desc.loads ?? [];
  const b = new ShaderBuilder(label);
  const x = b.operand(desc.x, false);
  const w = b.operand(desc.w, false);
  const bias = desc.bias === undefined ? undefined : b.operand(desc.bias, false);
  const { loads: used } = programUses(program);
  const refs = loadRefs(b, label, loads, used, want);
  const out = b.operand(desc.out, true);
  const n = product(want);
  const idx = unravel('i', want);
  const [ni, co, ...os] = idx;
  const cg = b.param(Cg);
  const kLoops = kSp.map((k) => b.param(k));
  const ks = kSp.map((_, a) => `k${a}`);
  // Input coordinate along axis a: o·stride + k − padding, as i32 to test the zero padding.
  const coord = (a: number): string => `i32(o${a} * ${desc.stride[a]}u + ${ks[a]}) - ${desc.padding[a]}`;
  const inside = inSp.map((s, a) => `p${a} >= 0 && p${a} < ${s}`).join(' && ');
  let inner = `if (${inside}) {
  acc += ${b.load(x, [ni, `g * ${Cg}u + ci`, ...inSp.map((_, a) => `u32(p${a})`)])} * ${b.load(w, [co, 'ci', ...ks])};
}`;
  for (let a = dims - 1; a >= 0; a--) {
    inner = `for (var ${ks[a]} = 0u; ${ks[a]} < ${kLoops[a]}; ${ks[a]}++) {
  let p${a} = ${coord(a)};
${inner
  .split('\n')
  .map((l) => '  ' + l)
  .join('\n')}
}`;
  }
  const prog = compileProgram(label, program, { load: (k) => b.load(refs.get(k) as OperandRef, broadcastIndex(loads[k].shape, idx, want)), acc: () => 'acc' }, 'r');
  const body = `
let i = (${LINEAR_WORKGROUP}) * ${THREADS}u + lid;
if (i >= ${n}u) { return; }
let co = ${co};
${os.map((e, a) => `let o${a} = ${e};`).join('\n')}
let g = co / ${Cout / G}u;
var acc = ${bias === undefined ? '0.0' : b.load(bias, unravel('co', (desc.bias as TensorArg).shape))};
for (var ci = 0u; ci < ${cg}; ci++) {
${inner
  .split('\n')
  .map((l) => '  ' + l)
  .join('\n')}
}
${prog.code}
${b.store(out, [ni, 'co', ...os.map((_, a) => `o${a}`)], prog.value)}`;
  return b.finish({ workgroupSize: [THREADS], body, workgroups: spreadWorkgroups(Math.ceil(n / THREADS)) });
}
