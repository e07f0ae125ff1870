/** Plan `matmul` → the tiled matmul generator (prologue, packed parts, epilogues, RoPE). */
import type { PlanKernelOf } from '../../plan/types.js';
import { matmulKernel } from '../matmul.js';
import type { LowerContext, Lowered } from './context.js';
import { compactLoads } from './operands.js';

export function lowerMatmul(k: PlanKernelOf<'matmul'>, ctx: LowerContext): Lowered {
  const p = k.params;
  const { buffers } = ctx;
  const { programs, loads } = compactLoads(buffers, k.inputs, p.outputs.map((o) => o.program));
  const prologue = p.prologue;
  return [
    matmulKernel({
      label: k.label,
      a: buffers.arg(k.inputs[0]),
      b: buffers.arg(k.inputs[1]),
      transposeA: p.transposeA,
      transposeB: p.transposeB,
      m: p.m,
      n: p.n,
      k: p.k,
      batch: k.outputs[0].shape.slice(0, -2),
      ...(prologue === null
        ? {}
        : { prologue: { fn: prologue.fn, eps: prologue.eps, gamma: buffers.arg(k.inputs[prologue.gamma]), ...(prologue.beta === null ? {} : { beta: buffers.arg(k.inputs[prologue.beta]) }) } }),
      parts: p.parts.map((part) => ({ start: part.start, end: part.end })),
      outputs: p.outputs.map((o, j) => ({
        out: buffers.arg(k.outputs[j]),
        width: o.width,
        program: programs[j],
        ...(o.rope === null ? {} : { rope: { positions: buffers.arg(k.inputs[o.rope.positions]), theta: o.rope.theta, rotaryDim: o.rope.rotaryDim, headDim: o.rope.headDim } }),
      })),
      loads,
      adapter: ctx.adapter,
    }),
  ];
}
