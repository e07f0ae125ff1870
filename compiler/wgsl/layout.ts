/**
 * Index arithmetic emitted as WGSL `u32` expressions: unravelling a flat index over a shape, and
 * the buffer address of a logical multi-index through a strided view. Expressions are built as
 * strings with the trivial cases folded (`x * 1u`, `+ 0u`, `% 1u`) so the shaders stay readable.
 */
import type { Strided, TensorArg } from './types.js';

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** The view a tensor is read through (contiguous when it has none). */
export function viewOf(t: TensorArg): Strided {
  return t.view ?? { shape: t.shape, strides: rowMajorStrides(t.shape) };
}

/** A WGSL u32 literal. */
export function u32(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not a u32: ${n}`);
  return `${n}u`;
}

const ZERO = '0u';

function isLiteral(e: string): boolean {
  return /^\d+u$/.test(e);
}

function literalValue(e: string): number {
  return Number(e.slice(0, -1));
}

export function mulExpr(e: string, c: number): string {
  if (c === 0 || e === ZERO) return ZERO;
  if (isLiteral(e)) return u32(literalValue(e) * c);
  return c === 1 ? e : `${wrap(e)} * ${u32(c)}`;
}

export function divExpr(e: string, c: number): string {
  if (c === 1) return e;
  if (isLiteral(e)) return u32(Math.floor(literalValue(e) / c));
  return `${wrap(e)} / ${u32(c)}`;
}

export function modExpr(e: string, c: number): string {
  if (c === 1) return ZERO;
  if (isLiteral(e)) return u32(literalValue(e) % c);
  return `${wrap(e)} % ${u32(c)}`;
}

export function sumExpr(terms: readonly string[]): string {
  const kept = terms.filter((t) => t !== ZERO);
  if (kept.length === 0) return ZERO;
  const literal = kept.filter(isLiteral).reduce((s, t) => s + literalValue(t), 0);
  const rest = kept.filter((t) => !isLiteral(t));
  if (literal !== 0) rest.push(u32(literal));
  return rest.length === 1 ? rest[0] : rest.join(' + ');
}

function wrap(e: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*(\[[^\]]*\])?$/.test(e) || isLiteral(e) ? e : `(${e})`;
}

/**
 * The multi-index of flat row-major index `flat` over `shape`, one expression per axis. The
 * outermost axis needs no `%` because `flat < product(shape)`.
 */
export function unravel(flat: string, shape: readonly number[]): string[] {
  const inner = rowMajorStrides(shape);
  return shape.map((d, a) => {
    if (d === 1) return ZERO;
    const q = divExpr(flat, inner[a]);
    return a === 0 ? q : modExpr(q, d);
  });
}

/** Row-major flat index of a multi-index over `shape`. */
export function ravel(index: readonly string[], shape: readonly number[]): string {
  const strides = rowMajorStrides(shape);
  return sumExpr(index.map((e, a) => (shape[a] === 1 ? ZERO : mulExpr(e, strides[a]))));
}

interface Axis {
  size: number;
  stride: number;
}

/** Merges neighbours whose strides make them one axis; drops size-1 axes. */
function mergeAxes(axes: readonly Axis[]): Axis[] {
  const out: Axis[] = [];
  for (const ax of axes) {
    if (ax.size === 1) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.stride === ax.stride * ax.size) {
      out[out.length - 1] = { size: last.size * ax.size, stride: ax.stride };
    } else {
      out.push({ ...ax });
    }
  }
  return out;
}

/** Address of index `e` (< product of sizes) over axes (outer → inner). */
function axesAddress(e: string, axes: readonly Axis[]): string {
  const sizes = axes.map((a) => a.size);
  const idx = unravel(e, sizes);
  return sumExpr(axes.map((a, i) => mulExpr(idx[i], a.stride)));
}

/**
 * Groups the (non-unit) view axes by the logical axis they refine, or undefined when some view
 * axis spans two logical axes (then only the flat index can be carried over).
 */
function groupByLogicalAxis(logical: readonly number[], view: Strided): Axis[][] | undefined {
  const axes = view.shape.map((size, i) => ({ size, stride: view.strides[i] })).filter((a) => a.size !== 1);
  const groups: Axis[][] = [];
  let next = 0;
  for (const d of logical) {
    const group: Axis[] = [];
    let p = 1;
    while (p < d) {
      const ax = axes[next++];
      if (ax === undefined) return undefined;
      group.push(ax);
      p *= ax.size;
    }
    if (p !== d) return undefined;
    groups.push(group);
  }
  return next === axes.length ? groups : undefined;
}

/**
 * Element address (relative to the operand's offset) of logical multi-index `index` of `t`
 * (one u32 expression per logical axis, each in range).
 */
export function viewAddress(t: TensorArg, index: readonly string[]): string {
  if (index.length !== t.shape.length) {
    throw new RangeError(`index of rank ${index.length} for a tensor of rank ${t.shape.length}`);
  }
  const view = viewOf(t);
  const groups = groupByLogicalAxis(t.shape, view);
  if (groups !== undefined) {
    return sumExpr(groups.map((g, a) => (g.length === 0 ? ZERO : axesAddress(index[a], mergeAxes(g)))));
  }
  const flat = ravel(index, t.shape);
  return axesAddress(flat, mergeAxes(view.shape.map((size, i) => ({ size, stride: view.strides[i] }))));
}

/**
 * The index of an operand broadcast (NumPy, right-aligned) against an output multi-index: size-1
 * axes read index 0, missing leading axes are dropped.
 */
export function broadcastIndex(operand: readonly number[], outIndex: readonly string[], outShape: readonly number[]): string[] {
  const lead = outShape.length - operand.length;
  if (lead < 0) throw new RangeError(`operand of rank ${operand.length} cannot broadcast to rank ${outShape.length}`);
  return operand.map((d, a) => {
    if (d === 1) return ZERO;
    if (d !== outShape[a + lead]) throw new RangeError(`operand [${operand.join(', ')}] does not broadcast to [${outShape.join(', ')}]`);
    return outIndex[a + lead];
  });
}

/** Whether `operand` broadcasts to `out` (NumPy rules, right-aligned). */
export function broadcastsTo(operand: readonly number[], out: readonly number[]): boolean {
  const lead = out.length - operand.length;
  return lead >= 0 && operand.every((d, a) => d === 1 || d === out[a + lead]);
}

/** Number of elements in storage the view can touch past its origin (for bounds checks on the host). */
export function viewExtent(t: TensorArg): number {
  const view = viewOf(t);
  if (product(view.shape) === 0) return 0;
  let last = 0;
  view.shape.forEach((d, i) => (last += (d - 1) * view.strides[i]));
  return last + 1;
}

/** Splits a workgroup count over x and y so each stays within WebGPU's 65535 limit. */
export function spreadWorkgroups(count: number): [number, number, number] {
  const max = 65535;
  if (count <= max) return [Math.max(1, count), 1, 1];
  const y = Math.ceil(count / max);
  if (y > max) throw new RangeError(`too many workgroups: ${count}`);
  return [Math.ceil(count / y), y, 1];
}
