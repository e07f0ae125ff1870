/**
 * `conv`: implicit GEMM. For each output position the receptive field is gathered once into a
 * patch vector (im2col row, zeros in the padding), then every output channel of the group is a
 * dot product with its filter; bias and the epilogue program run before the write.
 */
import type { PlanKernelOf } from '../../types.js';
import { f32 } from '../math.js';
import { evalProgram } from '../program.js';
import type { Access, PlanStorage } from '../storage.js';
import { broadcastIndex } from '../tensor.js';

export function runConv(k: PlanKernelOf<'conv'>, s: PlanStorage): void {
  const p = k.params;
  const two = p.dims === 2;
  const x = s.access(k.inputs[0]);
  const w = s.access(k.inputs[1]);
  const bias = p.bias ? s.access(k.inputs[2]) : undefined;
  const out = s.access(k.outputs[0]);
  const [n, cin, h] = k.inputs[0].shape;
  const wd = two ? k.inputs[0].shape[3] : 1;
  const [cout, cpg, kh] = k.inputs[1].shape;
  const kw = two ? k.inputs[1].shape[3] : 1;
  const oShape = k.outputs[0].shape;
  const [oh, ow] = [oShape[2], two ? oShape[3] : 1];
  const [sy, sx] = [p.stride[0], two ? p.stride[1] : 1];
  const [py, px] = [p.padding[0], two ? p.padding[1] : 0];
  const opg = cout / p.groups;
  const loads = new Map<number, { a: Access; idx: Int32Array }>();
  for (const ins of p.program) if (ins.op === 'load' && !loads.has(ins.input)) loads.set(ins.input, { a: s.access(k.inputs[ins.input]), idx: broadcastIndex(k.inputs[ins.input].shape, oShape) });
  const patch = new Float64Array(cpg * kh * kw);
  const regs = new Float64Array(p.program.length);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        for (let g = 0; g < p.groups; g++) {
          let e = 0;
          for (let ci = 0; ci < cpg; ci++) {
            for (let u = 0; u < kh; u++) {
              const iy = y * sy - py + u;
              for (let v = 0; v < kw; v++) {
                const ix = z * sx - px + v;
                patch[e++] = iy < 0 || iy >= h || ix < 0 || ix >= wd ? 0 : x.get(((b * cin + g * cpg + ci) * h + iy) * wd + ix);
              }
            }
          }
          for (let co = g * opg; co < (g + 1) * opg; co++) {
            let acc = 0;
            const wBase = co * patch.length;
            for (let q = 0; q < patch.length; q++) acc = f32(acc + f32(patch[q] * w.get(wBase + q)));
            if (bias !== undefined) acc = f32(acc + bias.get(co));
            const o = ((b * cout + co) * oh + y) * ow + z;
            out.set(o, evalProgram(p.program, regs, (i) => {
              const l = loads.get(i);
              return l === undefined ? Number.NaN : l.a.get(l.idx[o]);
            }, () => acc));
          }
        }
      }
    }
  }
}
