/**
 * Workgroup reductions (sum and max) over one value per invocation: a shared array and a tree
 * whose step count comes from the uniform block (a constant trip count would be unrolled, with
 * a barrier in every copy). Deterministic: the same association order on every run.
 */
import type { ShaderBuilder } from './builder.js';

/** Declarations of `wg_sum(lid, v)` and `wg_max(lid, v)` for a workgroup of `threads` (a power of two). */
export function workgroupReduceDecls(b: ShaderBuilder, threads: number): string {
  if ((threads & (threads - 1)) !== 0) throw new RangeError(`workgroup size ${threads} is not a power of two`);
  const half = b.param(threads / 2);
  const fn = (name: string, combine: string): string => `fn ${name}(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  var st = ${half};
  loop {
    if (st == 0u) { break; }
    if (lid < st) { red[lid] = ${combine}; }
    workgroupBarrier();
    st = st >> 1u;
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;
  return [`var<workgroup> red: array<f32, ${threads}>;`, fn('wg_sum', 'red[lid] + red[lid + st]'), fn('wg_max', 'max(red[lid], red[lid + st])')].join('\n');
}

/** Smallest power of two ≥ n, clamped to [lo, hi]. */
export function pow2Threads(n: number, lo: number, hi: number): number {
  let t = lo;
  while (t < n && t < hi) t *= 2;
  return t;
}
