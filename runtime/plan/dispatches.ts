/**
 * Counting what tfjs actually dispatches: every backend kernel a function runs (matmuls, adds,
 * transposes, and the free ones such as reshape), by name, using `tf.profile`. For the executor's
 * stats and the fused-vs-unfused benchmark; profiling adds overhead, so time runs separately.
 */
import { tf } from '../backend/tf.js';

export interface TfKernelCount {
  /** Backend kernels run. */
  readonly total: number;
  /** Kernels that move no data (Reshape, Identity…) and the op scopes tfjs records for fused ops; counted apart so the real work is visible. */
  readonly free: number;
  readonly byName: Readonly<Record<string, number>>;
  /** Peak tensor bytes during the function beyond those alive before it. */
  readonly peakBytes: number;
}

const FREE_KERNELS = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze']);

/** Runs `f` under `tf.profile` and counts its kernels; the tensors `f` returns are disposed. */
export async function countTfKernels(f: () => tf.TensorContainer | Promise<tf.TensorContainer>): Promise<TfKernelCount> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(async () => {
    const result = await f();
    tf.dispose(result);
    return [] as tf.Tensor[];
  });
  const byName: Record<string, number> = {};
  let free = 0;
  for (const k of info.kernels) {
    byName[k.name] = (byName[k.name] ?? 0) + 1;
    // `fusedMatMul__op`-style entries are op scopes the profiler records, not backend kernels.
    if (FREE_KERNELS.has(k.name) || k.name.endsWith('__op')) free++;
  }
  return { total: info.kernels.length, free, byName, peakBytes: info.peakBytes - before };
}
