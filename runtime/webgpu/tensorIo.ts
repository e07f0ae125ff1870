/**
 * Host-side views: writing a row-major host array into a strided placement (as few contiguous
 * runs as the strides allow) and gathering one back out of a copied byte range.
 */
import type { GpuView } from './program.js';

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

interface Axis {
  readonly size: number;
  readonly stride: number;
}

function mergedAxes(view: GpuView): Axis[] {
  const out: Axis[] = [];
  view.shape.forEach((size, i) => {
    if (size === 1) return;
    const stride = view.strides[i];
    const last = out[out.length - 1];
    if (last !== undefined && last.stride === stride * size) out[out.length - 1] = { size: last.size * size, stride };
    else out.push({ size, stride });
  });
  return out;
}

/** Element offsets (from the buffer start) of every logical element, row-major. */
export function viewElementOffsets(view: GpuView): Int32Array {
  const n = elementCount(view.shape);
  const out = new Int32Array(n);
  const axes = mergedAxes(view);
  const idx = new Array<number>(axes.length).fill(0);
  let off = view.offset;
  for (let e = 0; e < n; e++) {
    out[e] = off;
    for (let a = axes.length - 1; a >= 0; a--) {
      idx[a]++;
      off += axes[a].stride;
      if (idx[a] < axes[a].size) break;
      off -= axes[a].stride * axes[a].size;
      idx[a] = 0;
    }
  }
  return out;
}

/** Contiguous runs `[start element, length]` covering the view in row-major order. */
export function contiguousRuns(view: GpuView): [number, number][] {
  const axes = mergedAxes(view);
  if (axes.some((a) => a.stride === 0)) throw new RangeError('a broadcast view (stride 0) cannot be written');
  const inner = axes.length > 0 && axes[axes.length - 1].stride === 1 ? axes[axes.length - 1].size : 1;
  const outer = axes.length > 0 && inner > 1 ? axes.slice(0, -1) : axes;
  const starts = viewElementOffsets({ shape: outer.map((a) => a.size), strides: outer.map((a) => a.stride), offset: view.offset });
  return [...starts].map((s) => [s, inner] as [number, number]);
}

/** `[first, end)` element range the view touches. */
export function viewRange(view: GpuView): [number, number] {
  let end = view.offset + 1;
  view.shape.forEach((d, i) => (end += (d - 1) * view.strides[i]));
  return elementCount(view.shape) === 0 ? [view.offset, view.offset] : [view.offset, end];
}
