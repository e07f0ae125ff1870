/**
 * Strided views: how a kernel reads or writes a tensor that is a reshape, transpose, slice or
 * broadcast of a stored buffer without copying it (tinygrad's ShapeTracker idea, one level deep).
 * A view's shape is a row-major refinement of the logical shape that reads it, so a reshape that
 * strides cannot express (merging a transposed pair of axes) is still free for the reader: it
 * unravels its row-major index over the view's shape.
 */
import type { View } from './types.js';

export type ViewOp =
  | { readonly op: 'reshape'; readonly shape: readonly number[] }
  | { readonly op: 'transpose'; readonly perm: readonly number[] }
  | { readonly op: 'slice'; readonly axis: number; readonly start: number; readonly end: number }
  | { readonly op: 'broadcast'; readonly shape: readonly number[] };

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    // A size-1 axis is never stepped along: stride 0 keeps equal views equal.
    strides[i] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

export function contiguousView(shape: readonly number[], offset = 0): View {
  return { shape: [...shape], strides: contiguousStrides(shape), offset };
}

/** True when the view reads `product(shape)` consecutive elements in row-major order. */
export function isContiguous(view: View): boolean {
  const want = contiguousStrides(view.shape);
  return view.shape.every((d, i) => d === 1 || view.strides[i] === want[i]);
}

export function viewsEqual(a: View, b: View): boolean {
  if (a.offset !== b.offset) return false;
  const sa = squeeze(a);
  const sb = squeeze(b);
  return sa.shape.length === sb.shape.length && sa.shape.every((d, i) => d === sb.shape[i] && sa.strides[i] === sb.strides[i]);
}

/** Drops size-1 axes (their stride never matters). */
function squeeze(view: View): { shape: number[]; strides: number[] } {
  const shape: number[] = [];
  const strides: number[] = [];
  view.shape.forEach((d, i) => {
    if (d !== 1) {
      shape.push(d);
      strides.push(view.strides[i]);
    }
  });
  return { shape, strides };
}

/**
 * The same elements in row-major order under `target` (same element count), when strides can say
 * it: each group of source axes that merges must be stride-contiguous, and split axes take strides
 * from the innermost one. Undefined when impossible.
 */
export function reshapeView(view: View, target: readonly number[]): View | undefined {
  if (product(view.shape) !== product(target)) return undefined;
  const src = squeeze(view);
  const tgtIdx: number[] = [];
  target.forEach((d, i) => {
    if (d !== 1) tgtIdx.push(i);
  });
  const strides = new Array<number>(target.length).fill(0);
  let i = 0;
  let j = 0;
  while (i < src.shape.length && j < tgtIdx.length) {
    // Grow the smallest groups of source and target axes with equal products.
    let ps = src.shape[i];
    let pt = target[tgtIdx[j]];
    const i0 = i;
    const j0 = j;
    while (ps !== pt) {
      if (ps < pt) ps *= src.shape[++i];
      else pt *= target[tgtIdx[++j]];
      if (i >= src.shape.length || j >= tgtIdx.length) return undefined;
    }
    for (let a = i0; a < i; a++) if (src.strides[a] !== src.strides[a + 1] * src.shape[a + 1]) return undefined;
    let stride = src.strides[i];
    for (let b = j; b >= j0; b--) {
      strides[tgtIdx[b]] = stride;
      stride *= target[tgtIdx[b]];
    }
    i++;
    j++;
  }
  if (i !== src.shape.length || j !== tgtIdx.length) return undefined;
  return { shape: [...target], strides, offset: view.offset };
}

/**
 * Applies one view op to a view read with logical shape `logical`; returns the new view (whose
 * shape refines `out`) or undefined when strides cannot express it.
 */
export function applyViewOp(view: View, logical: readonly number[], op: ViewOp): View | undefined {
  if (op.op === 'reshape') return reshapeView(view, op.shape) ?? { ...view };
  const aligned = sameShape(view.shape, logical) ? view : reshapeView(view, logical);
  if (aligned === undefined) return undefined;
  if (op.op === 'transpose') {
    return { shape: op.perm.map((p) => aligned.shape[p]), strides: op.perm.map((p) => aligned.strides[p]), offset: aligned.offset };
  }
  if (op.op === 'slice') {
    const shape = [...aligned.shape];
    shape[op.axis] = op.end - op.start;
    return { shape, strides: [...aligned.strides], offset: aligned.offset + op.start * aligned.strides[op.axis] };
  }
  const rank = op.shape.length;
  const lead = rank - aligned.shape.length;
  if (lead < 0) return undefined;
  const strides = op.shape.map((d, k) => {
    if (k < lead) return 0;
    const from = aligned.shape[k - lead];
    if (from === d) return from === 1 ? 0 : aligned.strides[k - lead];
    return from === 1 ? 0 : Number.NaN;
  });
  if (strides.some(Number.isNaN)) return undefined;
  return { shape: [...op.shape], strides, offset: aligned.offset };
}

/** The inverse of a chain of reshapes and transposes: the view of the chain's source inside the storage its result lives in. */
export function invertViewOp(resultView: View, resultLogical: readonly number[], op: ViewOp, sourceShape: readonly number[]): View | undefined {
  if (op.op === 'reshape') return reshapeView(resultView, sourceShape) ?? { ...resultView };
  if (op.op !== 'transpose') return undefined;
  const aligned = sameShape(resultView.shape, resultLogical) ? resultView : reshapeView(resultView, resultLogical);
  if (aligned === undefined) return undefined;
  const inverse = new Array<number>(op.perm.length);
  op.perm.forEach((p, i) => (inverse[p] = i));
  return { shape: inverse.map((p) => aligned.shape[p]), strides: inverse.map((p) => aligned.strides[p]), offset: aligned.offset };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Number of distinct elements a view touches (broadcast axes count once). */
export function distinctElements(view: View): number {
  let n = 1;
  view.shape.forEach((d, i) => {
    if (view.strides[i] !== 0) n *= d;
  });
  return n;
}

/** One past the largest element index the view touches. */
export function viewExtent(view: View): number {
  let last = view.offset;
  view.shape.forEach((d, i) => {
    if (d > 0) last += (d - 1) * Math.max(0, view.strides[i]);
  });
  return product(view.shape) === 0 ? view.offset : last + 1;
}

/**
 * Element offsets of every logical element, in row-major logical order. Used by the reference
 * interpreter; sizes there are small.
 */
export function viewOffsets(view: View): Int32Array {
  const n = product(view.shape);
  const out = new Int32Array(n);
  const rank = view.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = view.offset;
  for (let e = 0; e < n; e++) {
    out[e] = off;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      off += view.strides[a];
      if (idx[a] < view.shape[a]) break;
      off -= view.strides[a] * view.shape[a];
      idx[a] = 0;
    }
  }
  return out;
}
