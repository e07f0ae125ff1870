/** Turning a primitive `matmul` op kernel into a `matmul` kernel (one part, one output, no epilogue). */
import type { OpAttrs } from '../../ir/types.js';
import type { AnyKernel, Kernel, KernelGraph } from '../graph.js';
import type { MatmulParams } from '../types.js';
import { product } from '../view.js';

/** GEMM sizes of `a · b` under the transposes: rows m, inner k, columns n, and the broadcast batch. */
export function gemmSizes(g: KernelGraph, a: number, b: number, transposeA: boolean, transposeB: boolean, out: number): Pick<MatmulParams, 'm' | 'n' | 'k' | 'batch'> {
  const as = g.value(a).shape;
  const bs = g.value(b).shape;
  const m = transposeA ? as[as.length - 1] : as[as.length - 2];
  const k = transposeA ? as[as.length - 2] : as[as.length - 1];
  const n = transposeB ? bs[bs.length - 2] : bs[bs.length - 1];
  const os = g.value(out).shape;
  return { m, n, k, batch: product(os.slice(0, -2)) };
}

/** The kernel as a `matmul` kernel: converts a primitive op in place (same id, same outputs); returns undefined for other kernels. */
export function asMatmulKernel(g: KernelGraph, kernel: AnyKernel): Kernel<'matmul'> | undefined {
  if (kernel.kind === 'matmul') return kernel;
  if (kernel.kind !== 'op' || kernel.params.op !== 'matmul') return undefined;
  const attrs = kernel.params.attrs as OpAttrs['matmul'];
  const [a, b] = kernel.inputs;
  const sizes = gemmSizes(g, a, b, attrs.transposeA, attrs.transposeB, kernel.outputs[0]);
  const converted = kernel as unknown as Kernel<'matmul'>;
  (converted as { kind: string }).kind = 'matmul';
  g.setInputs(converted, kernel.inputs, ['a', 'b']);
  converted.params = {
    transposeA: attrs.transposeA,
    transposeB: attrs.transposeB,
    ...sizes,
    prologue: null,
    parts: [{ name: g.value(b).name, start: 0, end: sizes.n }],
    outputs: [{ width: sizes.n, program: [{ op: 'acc', part: 0 }], rope: null }],
  };
  converted.label = 'matmul';
  return converted;
}
