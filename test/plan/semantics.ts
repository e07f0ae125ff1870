/** Shared pieces of the semantic-equivalence tests: slicing host tensors along an axis. */
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';

export function sliceAxis(t: Tensor, axis: number, start: number, end: number): Tensor {
  const shape = [...t.shape];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const d = shape[axis];
  shape[axis] = end - start;
  const out = t.data instanceof Int32Array ? new Int32Array(outer * (end - start) * inner) : new Float32Array(outer * (end - start) * inner);
  for (let o = 0; o < outer; o++) out.set(t.data.subarray((o * d + start) * inner, (o * d + end) * inner), o * (end - start) * inner);
  return { shape, data: out };
}
