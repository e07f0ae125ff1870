/**
 * The cost model: per kernel FLOPs, compulsory bytes (each distinct element of each operand once,
 * plus every output element), roofline time on a device profile and what bounds it.
 *   time = max(matrix FLOPs / matrix peak(dtype) + other FLOPs / vector peak, bytes / bandwidth) + launch
 * Attention counts the key positions its flash loop visits (causal rows skip keys past the
 * diagonal); `op` kernels count what a framework running the op alone would do, a reshape being free.
 */
import type { OpAttrs } from '../ir/types.js';
import type { DeviceProfile, FloatDType } from './devices.js';
import { ACTIVATION_FLOPS, programFlops } from './program.js';
import type { KernelClass, KernelCost, KernelKind, KernelParamsByKind, Operand, PlanBuffer } from './types.js';
import { distinctElements, product } from './view.js';

/** A kernel with operands resolved to buffers and views (what emit builds before costing). */
export interface ResolvedKernel<K extends KernelKind = KernelKind> {
  readonly kind: K;
  readonly params: KernelParamsByKind[K];
  readonly inputs: readonly Operand[];
  readonly outputs: readonly Operand[];
}

export type AnyResolvedKernel = { [K in KernelKind]: ResolvedKernel<K> }[KernelKind];

export const DTYPE_BYTES = { float32: 4, float16: 2, bfloat16: 2, int32: 4 } as const;

export function kernelClass(k: AnyResolvedKernel): KernelClass {
  switch (k.kind) {
    case 'matmul':
      return 'matmul';
    case 'conv':
      return 'conv';
    case 'attention':
      return 'attention';
    case 'norm':
      return 'norm';
    case 'elementwise':
      return 'elementwise';
    case 'reduce':
      return 'reduction';
    case 'embed_zip':
      return 'data_movement';
    case 'op':
      return opClass(k.params.op);
  }
}

function opClass(op: string): KernelClass {
  if (op === 'matmul') return 'matmul';
  if (op === 'conv1d' || op === 'conv2d') return 'conv';
  if (op === 'layernorm' || op === 'rmsnorm' || op === 'weight_norm') return 'norm';
  if (op === 'softmax' || op === 'reduce_sum' || op === 'avg_pool2d') return 'reduction';
  if (['add', 'sub', 'mul', 'div', 'activation', 'rope', 'causal_mask'].includes(op)) return 'elementwise';
  return 'data_movement';
}

/** Matrix-product FLOPs and other FLOPs of one kernel. */
export function kernelFlops(k: AnyResolvedKernel): { matrix: number; vector: number } {
  const outElems = (i = 0): number => product(k.outputs[i]?.shape ?? []);
  switch (k.kind) {
    case 'matmul': {
      const p = k.params;
      const rows = p.batch * p.m;
      let vector = 0;
      for (const o of p.outputs) vector += rows * o.width * (programFlops(o.program) + (o.rope !== null ? 3 : 0));
      if (p.prologue !== null) vector += rows * p.k * (p.prologue.fn === 'layernorm' ? 6 : 4);
      return { matrix: 2 * rows * p.n * p.k, vector };
    }
    case 'conv': {
      const w = k.inputs[1].shape;
      const perOutput = product(w.slice(1));
      return { matrix: 2 * outElems() * perOutput, vector: outElems() * programFlops(k.params.program) };
    }
    case 'attention': {
      const p = k.params;
      const pairs = p.batch * p.heads * visitedPairs(p.queries, p.keys, p.causal?.queryOffset);
      return { matrix: pairs * 2 * (p.headDim + p.valueDim), vector: pairs * 6 };
    }
    case 'norm':
      return { matrix: 0, vector: k.params.rows * k.params.width * (programFlops(k.params.prologue) + (k.params.fn === 'layernorm' ? 8 : 5)) };
    case 'elementwise':
      return { matrix: 0, vector: outElems() * programFlops(k.params.program) };
    case 'reduce':
      return { matrix: 0, vector: product(k.inputs[0].shape) + outElems() * programFlops(k.params.program) };
    case 'embed_zip':
      return { matrix: 0, vector: 0 };
    case 'op':
      return opFlops(k as ResolvedKernel<'op'>);
  }
}

/** Key positions a causal flash loop visits for `queries` rows starting at `offset` (all keys when not causal). */
export function visitedPairs(queries: number, keys: number, offset: number | undefined): number {
  if (offset === undefined) return queries * keys;
  let n = 0;
  for (let i = 0; i < queries; i++) n += Math.min(keys, i + offset + 1);
  return n;
}

function opFlops(k: ResolvedKernel<'op'>): { matrix: number; vector: number } {
  const out = product(k.outputs[0].shape);
  const attrs = k.params.attrs;
  switch (k.params.op) {
    case 'matmul': {
      const a = k.inputs[0].shape;
      const inner = (attrs as OpAttrs['matmul']).transposeA ? a[a.length - 2] : a[a.length - 1];
      return { matrix: 2 * out * inner, vector: 0 };
    }
    case 'conv1d':
    case 'conv2d':
      return { matrix: 2 * out * product(k.inputs[1].shape.slice(1)), vector: k.inputs.length > 2 ? out : 0 };
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return { matrix: 0, vector: out };
    case 'activation':
      return { matrix: 0, vector: out * ACTIVATION_FLOPS[(attrs as OpAttrs['activation']).fn] };
    case 'layernorm':
      return { matrix: 0, vector: out * 8 };
    case 'rmsnorm':
      return { matrix: 0, vector: out * 5 };
    case 'softmax':
      return { matrix: 0, vector: out * 5 };
    case 'rope':
      return { matrix: 0, vector: out * 3 };
    case 'reduce_sum':
    case 'avg_pool2d':
      return { matrix: 0, vector: product(k.inputs[0].shape) };
    case 'weight_norm':
      return { matrix: 0, vector: out * 3 };
    default:
      return { matrix: 0, vector: 0 };
  }
}

/** Compulsory traffic of a kernel; a reshape (metadata) and constants cost nothing. */
export function kernelBytes(k: AnyResolvedKernel, buffers: readonly PlanBuffer[]): number {
  if (k.kind === 'op' && k.params.op === 'reshape') return 0;
  let bytes = 0;
  const seen = new Set<string>();
  // A lookup reads the rows its indices name, not the whole table.
  const lookup = k.kind === 'embed_zip' || (k.kind === 'op' && k.params.op === 'gather');
  if (lookup) {
    const [table, ids] = k.inputs;
    const rows = Math.min(table.shape[0], product(ids.shape));
    bytes += rows * product(table.shape.slice(1)) * DTYPE_BYTES[buffers[table.buffer].dtype];
  }
  for (const [index, o] of [...k.inputs, ...k.outputs].entries()) {
    const b = buffers[o.buffer];
    if (b.kind === 'constant' || (lookup && index === 0)) continue;
    // The same operand read twice (a matmul's A and its epilogue residual) is read once.
    const key = `${o.buffer}:${o.view.offset}:${o.view.shape.join()}:${o.view.strides.join()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    bytes += distinctElements(o.view) * DTYPE_BYTES[b.dtype];
  }
  return bytes;
}

/** The dtype the products run in: the first float operand's. */
function computeDtype(k: AnyResolvedKernel, buffers: readonly PlanBuffer[]): FloatDType {
  for (const o of k.inputs) {
    const d = buffers[o.buffer].dtype;
    if (d !== 'int32') return d;
  }
  return 'float32';
}

export function kernelCost(k: AnyResolvedKernel, buffers: readonly PlanBuffer[], device: DeviceProfile): KernelCost {
  // A reshape is metadata in every framework: no launch, no traffic.
  if (k.kind === 'op' && k.params.op === 'reshape') return { flops: 0, bytes: 0, ms: 0, bound: 'memory' };
  const flops = kernelFlops(k);
  const bytes = kernelBytes(k, buffers);
  const compute = flops.matrix / device.matrixFlops[computeDtype(k, buffers)] + flops.vector / device.vectorFlops;
  const memory = bytes / device.bandwidth;
  const busy = Math.max(compute, memory);
  const bound = device.launchOverhead > busy ? 'launch' : compute >= memory ? 'compute' : 'memory';
  return { flops: flops.matrix + flops.vector, bytes, ms: (busy + device.launchOverhead) * 1e3, bound };
}
