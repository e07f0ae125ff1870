/** Host tensors of the reference interpreters: row-major values and a shape. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * For every element of `out` (row-major), the row-major index of the element of an operand of
 * shape `operand` that NumPy broadcasting reads (right-aligned; size-1 axes read 0).
 */
export function broadcastIndex(operand: readonly number[], out: readonly number[]): Int32Array {
  const n = size(out);
  const result = new Int32Array(n);
  const lead = out.length - operand.length;
  const opStrides = rowMajorStrides(operand);
  const idx = new Array<number>(out.length).fill(0);
  let pos = 0;
  for (let e = 0; e < n; e++) {
    result[e] = pos;
    for (let a = out.length - 1; a >= 0; a--) {
      idx[a]++;
      const oa = a - lead;
      const step = oa >= 0 && operand[oa] !== 1 ? opStrides[oa] : 0;
      pos += step;
      if (idx[a] < out[a]) break;
      pos -= step * out[a];
      idx[a] = 0;
    }
  }
  return result;
}

export function floatTensor(shape: readonly number[], data?: Float32Array): Tensor {
  return { shape: [...shape], data: data ?? new Float32Array(size(shape)) };
}
