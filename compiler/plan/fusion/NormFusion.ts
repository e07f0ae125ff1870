/**
 * NormFusion: LayerNorm / RMSNorm become `norm` kernels, and the pointwise ops feeding one (the
 * residual add, a positional-embedding add) join as its prologue; when others still read the
 * sum (the residual stream), the kernel writes it as a second output (ONNX Runtime's
 * SkipLayerNormalization). Runs after MatmulEpilogue, so a residual add produced next to a
 * matmul is already in that matmul's epilogue (one write instead of two).
 */
import type { OpAttrs } from '../../ir/types.js';
import type { AnyKernel, KernelGraph } from '../graph.js';
import { ProgramBuilder, isPointwiseOpKernel } from '../program.js';
import type { NormParams } from '../types.js';
import type { FusionPass } from './pass.js';

export const NormFusion: FusionPass = {
  name: 'NormFusion',
  description: 'LayerNorm/RMSNorm (+ the residual add feeding it) → one norm kernel',
  run(g) {
    for (const norm of [...g.kernels]) {
      if (norm.kind !== 'op' || (norm.params.op !== 'layernorm' && norm.params.op !== 'rmsnorm') || norm.stage !== 'forward') continue;
      const fn = norm.params.op;
      const eps = (norm.params.attrs as OpAttrs['layernorm']).eps;
      const [x, gamma, beta] = norm.inputs;
      const shape = g.value(x).shape;
      const feeder = pointwiseFeeder(g, x, norm);
      const inputs: number[] = [];
      const roles: string[] = [];
      const b = new ProgramBuilder(g, inputs, roles);
      const absorbed: AnyKernel[] = [];
      let result: number;
      if (feeder === undefined) {
        result = b.load(x, 'x');
      } else {
        absorbed.push(feeder);
        result = b.applyOp(feeder, -1, -1, (v) => emitInline(g, b, v, norm, shape, absorbed));
      }
      const prologue = b.finish(result);
      const gammaIndex = inputs.length;
      inputs.push(gamma);
      roles.push('gamma');
      let betaIndex: number | null = null;
      if (beta !== undefined) {
        betaIndex = inputs.length;
        inputs.push(beta);
        roles.push('beta');
      }
      const writeSum = feeder !== undefined && g.uses(x) > 1;
      const params: NormParams = {
        fn,
        eps,
        rows: shape.slice(0, -1).reduce((p, d) => p * d, 1),
        width: shape[shape.length - 1],
        prologue,
        gamma: gammaIndex,
        beta: betaIndex,
        writeSum,
      };
      const outputs = writeSum ? [norm.outputs[0], x] : [norm.outputs[0]];
      g.removeKernels([norm.id, ...absorbed.map((k) => k.id)]);
      g.addKernel<'norm'>({
        kind: 'norm',
        inputs,
        roles,
        outputs,
        params,
        ir: [...norm.ir, ...absorbed.flatMap((k) => k.ir)].sort((p, q) => p - q),
        scope: norm.scope,
        label: feeder === undefined ? fn : `add+${fn}`,
        stage: 'forward',
        order: norm.order,
      });
    }
  },
};

/**
 * The pointwise op kernel computing the norm's input with the input's full shape, when it can
 * move into the norm: others reading the sum must run after the norm.
 */
function pointwiseFeeder(g: KernelGraph, x: number, norm: AnyKernel): AnyKernel | undefined {
  if (g.value(x).def.kind !== 'kernel') return undefined;
  const p = g.producer(x);
  if (p === undefined || !isPointwiseOpKernel(p) || p.stage !== 'forward') return undefined;
  if (g.isOutput(x) || g.aliasesOf(x).length > 0) return undefined;
  const others = g.readers(x).filter((k) => k.id !== norm.id);
  if (others.some((k) => k.order < norm.order)) return undefined;
  return p;
}

/** Inlines single-use pointwise producers of the same shape; loads everything else. */
function emitInline(g: KernelGraph, b: ProgramBuilder, v: number, norm: AnyKernel, shape: readonly number[], absorbed: AnyKernel[]): number {
  const value = g.value(v);
  if (value.def.kind === 'kernel' && g.uses(v) === 1 && value.shape.join() === shape.join()) {
    const p = g.producer(v);
    if (p !== undefined && isPointwiseOpKernel(p) && p.stage === 'forward') {
      absorbed.push(p);
      return b.applyOp(p, -1, -1, (w) => emitInline(g, b, w, norm, shape, absorbed));
    }
  }
  return b.load(v);
}
