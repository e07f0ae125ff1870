/**
 * Index arithmetic between a plan's strided views and tfjs tensors (pure, no tfjs).
 *
 * tfjs has no strided views: a read is at most a slice, a transpose and a broadcast of a dense
 * tensor. `readRecipe` finds those for a view once, at load time: the view's axes sorted by stride
 * must nest (each stride a multiple of the next inner axis's extent), so the buffer reshaped to
 * `parent` dims holds the view as a sub-block; otherwise the view is read with one gather of
 * precomputed element offsets.
 *
 * A buffer's value may be held "lazily" as a `Layout`: a tensor whose transpose by `perm` is the
 * buffer in row-major order. Composing a layout with a read recipe (`composeRead`) often cancels
 * the transposes — an attention output written head-major and read back token-major costs nothing.
 * All shapes here are squeezed: size-1 axes are dropped before any permutation is formed.
 */

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Element strides of a row-major tensor of `shape`. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export interface ViewLike {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * A tensor of (squeezed) shape `dims` whose `transpose(·, perm)` is the value: axis i of the value
 * is axis `perm[i]` of the tensor.
 */
export interface Layout {
  readonly dims: readonly number[];
  readonly perm: readonly number[];
}

export function layoutShape(l: Layout): number[] {
  return l.perm.map((p) => l.dims[p]);
}

/** How one operand is read from its buffer. */
export type ReadRecipe =
  | {
      readonly kind: 'block';
      /** The buffer as row-major `parent` dims (outer to inner, squeezed), the view's axes sorted by stride. */
      readonly parent: readonly number[];
      /** Slice of `parent` the view covers (`full` when it is the whole buffer). */
      readonly begin: readonly number[];
      readonly size: readonly number[];
      /**
       * The same slice on `parent` with every run of axes whose inner part is taken whole merged
       * (a column block of `[s, 3, h, d]` is a slice of `[s, 3·h·d]`): tfjs copies 2-D row runs
       * fast and walks higher ranks element by element.
       */
      readonly slice: { readonly parent: readonly number[]; readonly begin: readonly number[]; readonly size: readonly number[] };
      readonly full: boolean;
      /** Dims after the slice with the inner padding axis (stride > 1 innermost) dropped: the view's real axes in stride order. */
      readonly block: readonly number[];
      /** Real view axis i (in view order) is block axis `perm[i]`. */
      readonly perm: readonly number[];
      /** The block as a layout of the view's real axes (view order). */
      readonly asLayout: Layout;
      /** A full view that reads the buffer in row-major order (no transpose, no broadcast). */
      readonly contiguous: boolean;
      /** The logical value in row-major order, as a layout (squeezed): what a plain write hands over. */
      readonly rowMajor: Layout;
      /** The view's shape with broadcast axes as 1 (a reshape target before broadcasting). */
      readonly unbroadcast: readonly number[];
      readonly broadcast: boolean;
      readonly viewShape: readonly number[];
      readonly logical: readonly number[];
    }
  | {
      readonly kind: 'gather';
      /** Element offset of every logical element, row-major. */
      readonly offsets: Int32Array;
      readonly logical: readonly number[];
    };

/** Element offsets of every element of a view (row-major over its shape). */
export function viewOffsets(view: ViewLike): Int32Array {
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

export function readRecipe(view: ViewLike, bufferElements: number, logical: readonly number[]): ReadRecipe {
  const gather = (): ReadRecipe => ({ kind: 'gather', offsets: viewOffsets(view), logical: [...logical] });
  const real: { axis: number; size: number; stride: number }[] = [];
  let broadcast = false;
  view.shape.forEach((size, axis) => {
    if (size === 1) return;
    if (view.strides[axis] === 0) broadcast = true;
    else real.push({ axis, size, stride: view.strides[axis] });
  });
  if (real.some((r) => r.stride < 0)) return gather();
  const sorted = [...real].sort((a, b) => b.stride - a.stride);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const outer = sorted[i];
    const inner = sorted[i + 1];
    if (outer.stride % inner.stride !== 0 || inner.size * inner.stride > outer.stride) return gather();
  }
  if (sorted.length === 0) {
    // Every axis broadcasts (or has size 1): one element.
    if (view.offset >= bufferElements) return gather();
    return block([bufferElements], [view.offset], [1], [], [], false);
  }
  const innermost = sorted[sorted.length - 1].stride;
  const outermost = sorted[0].stride;
  if (bufferElements % outermost !== 0) return gather();
  const parent: number[] = [bufferElements / outermost];
  for (let i = 1; i < sorted.length; i++) parent.push(sorted[i - 1].stride / sorted[i].stride);
  const padded = innermost > 1;
  if (padded) parent.push(innermost);
  // Coordinates of the view's first element in the parent dims.
  const begin = new Array<number>(parent.length).fill(0);
  let rest = view.offset;
  for (let j = parent.length - 1; j >= 0; j--) {
    begin[j] = rest % parent[j];
    rest = Math.floor(rest / parent[j]);
  }
  if (rest !== 0) return gather();
  const size = [...sorted.map((r) => r.size), ...(padded ? [1] : [])];
  if (size.some((d, j) => begin[j] + d > parent[j])) return gather();
  const order = sorted.map((r) => r.axis);
  return block(parent, begin, size, sorted.map((r) => r.size), real.map((r) => order.indexOf(r.axis)), broadcast);

  function block(parent: number[], begin: number[], size: number[], dims: number[], perm: number[], bcast: boolean): ReadRecipe {
    const full = size.every((d, j) => d === parent[j] && begin[j] === 0);
    const broadcasts = bcast || (dims.length === 0 && product(view.shape) > 1);
    const sq = squeeze(logical);
    return {
      kind: 'block',
      parent,
      begin,
      size,
      slice: coalesceSlice(parent, begin, size),
      full,
      block: dims,
      perm,
      asLayout: { dims, perm },
      contiguous: full && !broadcasts && isIdentity(perm),
      rowMajor: { dims: sq, perm: sq.map((_, i) => i) },
      unbroadcast: view.shape.map((d, i) => (view.strides[i] === 0 ? 1 : d)),
      broadcast: broadcasts,
      viewShape: [...view.shape],
      logical: [...logical],
    };
  }
}

/** Merges each axis with the (merged) axes inside it when those are taken whole. */
export function coalesceSlice(parent: readonly number[], begin: readonly number[], size: readonly number[]): { parent: number[]; begin: number[]; size: number[] } {
  const p: number[] = [];
  const b: number[] = [];
  const z: number[] = [];
  for (let j = parent.length - 1; j >= 0; j--) {
    const innerWhole = p.length > 0 && b[0] === 0 && z[0] === p[0];
    if (innerWhole) {
      // The inner group is whole: fold this axis into it.
      b[0] = begin[j] * p[0];
      z[0] = size[j] * p[0];
      p[0] = parent[j] * p[0];
    } else {
      p.unshift(parent[j]);
      b.unshift(begin[j]);
      z.unshift(size[j]);
    }
  }
  return { parent: p, begin: b, size: z };
}

/**
 * The common refinement of two row-major factorizations of the same element count (outer to
 * inner), or undefined when their axis boundaries do not nest.
 */
export function commonRefinement(a: readonly number[], b: readonly number[]): number[] | undefined {
  const suffixes = (dims: readonly number[]): number[] => {
    const out = [1];
    let p = 1;
    for (let i = dims.length - 1; i >= 0; i--) {
      p *= dims[i];
      out.push(p);
    }
    return out;
  };
  const sa = suffixes(a);
  const sb = suffixes(b);
  if (sa[sa.length - 1] !== sb[sb.length - 1]) return undefined;
  const all = [...new Set([...sa, ...sb])].sort((x, y) => x - y);
  const dims: number[] = [];
  for (let i = 0; i + 1 < all.length; i++) {
    if (all[i + 1] % all[i] !== 0) return undefined;
    dims.push(all[i + 1] / all[i]);
  }
  return dims.reverse();
}

/** For each axis of `coarse`, the consecutive axes of its refinement `fine` it splits into. */
export function groups(coarse: readonly number[], fine: readonly number[]): number[][] | undefined {
  const out: number[][] = [];
  let f = 0;
  for (const d of coarse) {
    const g: number[] = [];
    let p = 1;
    while (p < d && f < fine.length) {
      p *= fine[f];
      g.push(f++);
    }
    if (p !== d) return undefined;
    out.push(g);
  }
  return f === fine.length ? out : undefined;
}

/** The layout refined so that its value's dims are `target` (a refinement of the value's dims), or undefined. */
export function refineLayout(l: Layout, target: readonly number[]): Layout | undefined {
  const valueDims = layoutShape(l);
  const g = groups(valueDims, target);
  if (g === undefined) return undefined;
  // Tensor axis t is value axis inv[t]; it splits into that axis's group, in order.
  const inv = invertPerm(l.perm);
  const dims: number[] = [];
  const start = new Array<number>(l.dims.length);
  for (let t = 0; t < l.dims.length; t++) {
    start[t] = dims.length;
    for (const f of g[inv[t]]) dims.push(target[f]);
  }
  const perm: number[] = [];
  l.perm.forEach((t, i) => g[i].forEach((_, k) => perm.push(start[t] + k)));
  return { dims, perm };
}

/** The layout with its tensor's dims refined to `target` (a refinement of `l.dims`, row-major), or undefined. */
export function refineTensorSide(l: Layout, target: readonly number[]): Layout | undefined {
  const g = groups(l.dims, target);
  if (g === undefined) return undefined;
  // Value axis i is tensor axis perm[i], which splits into that axis's group, in order.
  return { dims: [...target], perm: l.perm.flatMap((t) => g[t]) };
}

/**
 * Reads a full-coverage block recipe from a buffer held as `stored` (a layout whose value is the
 * buffer in row-major order, squeezed). Returns the layout of the view's real axes (view order),
 * or undefined when the two do not compose (the caller materializes the buffer instead).
 */
export function composeRead(stored: Layout, recipe: Extract<ReadRecipe, { kind: 'block' }>): Layout | undefined {
  if (!recipe.full || recipe.block.length !== recipe.parent.length) return undefined;
  const storage = layoutShape(stored);
  const fine = commonRefinement(storage, recipe.parent);
  if (fine === undefined) return undefined;
  const refined = refineLayout(stored, fine);
  if (refined === undefined) return undefined;
  // The block (parent order) refined, then permuted to view order. `fine` refines the parent —
  // the tensor side of this layout, not its value (view) side.
  const asBlock: Layout = { dims: recipe.parent, perm: recipe.perm };
  const viewRefined = refineTensorSide(asBlock, fine);
  if (viewRefined === undefined) return undefined;
  // value axis v (refined view order) = parent-fine axis viewRefined.perm[v] = tensor axis refined.perm[...]
  return { dims: refined.dims, perm: viewRefined.perm.map((r) => refined.perm[r]) };
}

/**
 * For a write through a full-coverage view: the layout of the buffer's row-major value, given the
 * written value's layout (over the operand's logical axes, squeezed, in any factorization of the
 * same row-major order), or undefined when the two do not compose.
 */
export function layoutForWrite(value: Layout, recipe: Extract<ReadRecipe, { kind: 'block' }>): Layout | undefined {
  if (!recipe.full || recipe.broadcast || recipe.block.length !== recipe.parent.length) return undefined;
  const viewDims = squeeze(recipe.viewShape);
  const fine = commonRefinement(layoutShape(value), viewDims);
  if (fine === undefined) return undefined;
  const v = refineLayout(value, fine);
  // The view's axes as a layout over the storage block, refined alike.
  const b = refineLayout({ dims: recipe.parent, perm: recipe.perm }, fine);
  if (v === undefined || b === undefined) return undefined;
  // Storage axis j (refined block order) is refined view axis invB[j].
  const invB = invertPerm(b.perm);
  return { dims: v.dims, perm: invB.map((i) => v.perm[i]) };
}

/**
 * The layout of `transpose(value, perm)` where `value` is described by `l` (over a refinement of
 * the squeezed `logical` shape) and `perm` permutes `logical`'s axes; undefined when the layout's
 * axes do not refine `logical`.
 */
export function permuteLayout(l: Layout, logical: readonly number[], perm: readonly number[]): Layout | undefined {
  const kept = logical.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const g = groups(kept.map((i) => logical[i]), layoutShape(l));
  if (g === undefined) return undefined;
  const index = new Map(kept.map((axis, k) => [axis, k]));
  const order = perm.filter((p) => logical[p] !== 1).flatMap((p) => g[index.get(p) as number]);
  return { dims: l.dims, perm: order.map((i) => l.perm[i]) };
}

export function squeeze(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}
