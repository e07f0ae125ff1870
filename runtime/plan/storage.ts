/**
 * The executor's buffer table: one slot per plan buffer, holding its current value as tfjs
 * tensors. tfjs owns the memory (there is no arena to place tensors in), so the plan's memory
 * plan is honoured by lifetime: a slot is emptied (its tensors disposed) right after the buffer's
 * last use as the plan's liveness gives it.
 *
 * A slot holds either the whole buffer as one tensor — in row-major order (any shape), or with a
 * pending transpose (`Layout`, see layout.ts) — or, after writes through partial views (a KV
 * cache row, say), the pieces written so far, assembled with one gather when next read.
 *
 * Plans are static, so each operand's layout arithmetic is done once and memoized on its reader;
 * slots keep the memoized layout objects, so later lookups are by identity.
 */
import { tf } from '../backend/tf.js';
import { PlanRunError } from './errors.js';
import { type Layout, type ReadRecipe, composeRead, invertPerm, isIdentity, layoutForWrite, layoutShape, permuteLayout, product, readRecipe, rowMajorStrides, squeeze, viewOffsets } from './layout.js';
import type { Operand, PlanBuffer } from './types.js';

interface Whole {
  readonly kind: 'whole';
  readonly tensor: tf.Tensor;
  /** How the buffer (row-major, squeezed) is `transpose(reshape(tensor, dims), perm)`; null: the tensor is the buffer in row-major order. */
  readonly layout: Layout | null;
}

interface Pieces {
  readonly kind: 'pieces';
  readonly pieces: { readonly operand: Operand; readonly tensor: tf.Tensor }[];
}

type Slot = Whole | Pieces | undefined;

/** A compiled read (or write) of one operand: its recipe, the gather offsets if any, and memos of its layout arithmetic. */
export interface OperandReader {
  readonly operand: Operand;
  readonly recipe: ReadRecipe;
  /** int32 offsets (gather recipes only), owned by the executor. */
  readonly offsets?: tf.Tensor1D;
  /** Per stored layout object: the view's layout over that slot's tensor (null: does not compose). */
  readonly reads: WeakMap<Layout, Layout | null>;
  /** Per written layout object: the buffer's stored layout, row-major, or not a whole write. */
  readonly writes: WeakMap<Layout, Layout | 'row-major' | 'partial'>;
  /** Per read layout object and caller transpose: the read with the transpose folded in (null: it does not fold). */
  readonly permuted: WeakMap<Layout, Map<string, Layout | null>>;
}

/** A reader for an operand of a buffer of `elements` elements. */
export function operandReader(operand: Operand, elements: number, offsets?: (recipe: ReadRecipe) => tf.Tensor1D | undefined): OperandReader {
  const recipe = readRecipe(operand.view, elements, operand.shape);
  return { operand, recipe, offsets: offsets?.(recipe), reads: new WeakMap(), writes: new WeakMap(), permuted: new WeakMap() };
}

/** The squeezed layout of `transpose(tensor of shape dims, perm)` (size-1 axes dropped from both). */
export function squeezedLayout(dims: readonly number[], perm: readonly number[]): Layout {
  const index = new Map<number, number>();
  let n = 0;
  dims.forEach((d, i) => {
    if (d !== 1) index.set(i, n++);
  });
  return { dims: dims.filter((d) => d !== 1), perm: perm.filter((p) => dims[p] !== 1).map((p) => index.get(p) as number) };
}

/** Applies a layout: the value it describes, reshaped to `shape`. */
export function materialize(tensor: tf.Tensor, layout: Layout | null, shape: readonly number[]): tf.Tensor {
  let x = tensor;
  if (layout !== null && !isIdentity(layout.perm)) {
    if (!sameDims(x.shape, layout.dims)) x = tf.reshape(x, [...layout.dims]);
    x = tf.transpose(x, [...layout.perm]);
  }
  return sameDims(x.shape, shape) ? x : tf.reshape(x, [...shape]);
}

export class BufferTable {
  private readonly slots: Slot[];
  private readonly elements: number[];
  /** Ids of the tensors the slots hold. */
  private readonly held = new Set<number>();

  constructor(private readonly buffers: readonly PlanBuffer[]) {
    this.slots = buffers.map(() => undefined);
    this.elements = buffers.map((b) => product(b.shape));
  }

  has(buffer: number): boolean {
    return this.slots[buffer] !== undefined;
  }

  /** True when the tensor is held by a slot (a kernel must not hand it back as a new output). */
  holds(tensor: tf.Tensor): boolean {
    return this.held.has(tensor.id);
  }

  /**
   * Reads an operand as a tensor of its logical shape, optionally transposed by `perm` (over the
   * logical axes) and given `shape` (any shape of the same row-major order). The result may be
   * the slot's own tensor (when no op is needed): callers must not dispose it, and a kernel
   * handing it back as an output is given a new handle (`holds`).
   */
  read(reader: OperandReader, perm?: readonly number[], shape?: readonly number[]): tf.Tensor {
    const { operand, recipe } = reader;
    const logical = operand.shape;
    const target = shape ?? (perm === undefined ? logical : perm.map((p) => logical[p]));
    if (recipe.kind === 'gather') {
      const flat = tf.reshape(this.flat(operand.buffer), [this.elements[operand.buffer]]);
      const x = tf.reshape(tf.gather(flat, reader.offsets as tf.Tensor1D), [...logical]);
      return tf.reshape(perm === undefined ? x : tf.transpose(x, [...perm]), [...target]);
    }
    const whole = this.whole(operand.buffer);
    // The view's axes (view order, possibly refined) as a layout over a tensor.
    let tensor = whole.tensor;
    let layout: Layout | null | undefined;
    if (recipe.full && whole.layout === null) layout = recipe.asLayout;
    else if (recipe.full && whole.layout !== null) layout = composed(reader, whole.layout);
    if (layout === undefined || layout === null) {
      let x = this.flat(operand.buffer);
      if (!recipe.full) {
        const { parent, begin, size } = recipe.slice;
        if (!sameDims(x.shape, parent)) x = tf.reshape(x, [...parent]);
        x = tf.slice(x, [...begin], [...size]);
      }
      tensor = x;
      layout = recipe.asLayout;
    }
    if (recipe.broadcast) {
      const x = tf.reshape(tf.broadcastTo(materialize(tensor, layout, recipe.unbroadcast), [...recipe.viewShape]), [...logical]);
      return tf.reshape(perm === undefined ? x : tf.transpose(x, [...perm]), [...target]);
    }
    if (perm === undefined) return materialize(tensor, layout, target);
    // Fold the caller's transpose into the read's own: one transpose at most.
    const folded = foldPerm(reader, layout, perm);
    if (folded !== null) return materialize(tensor, folded, target);
    return tf.reshape(tf.transpose(materialize(tensor, layout, logical), [...perm]), [...target]);
  }

  /**
   * Writes a kernel result through an output operand; takes ownership of `tensor` (kept out of
   * the caller's tidy scope). `layout` says how the tensor holds the operand's logical value
   * (squeezed axes); without it the tensor is the value in row-major order (any shape).
   */
  write(reader: OperandReader, tensor: tf.Tensor, layout?: Layout): void {
    const { operand, recipe } = reader;
    const id = operand.buffer;
    if (recipe.kind === 'block' && recipe.full && !recipe.broadcast) {
      const stored = layout === undefined ? (recipe.contiguous ? null : storedLayout(reader, recipe.rowMajor)) : storedLayout(reader, layout);
      if (stored !== undefined) {
        this.release(id);
        this.slots[id] = { kind: 'whole', tensor: this.hold(tensor), layout: stored };
        return;
      }
    }
    // A partial write: keep it as a piece (logical order) until the buffer is next read.
    const logical = this.hold(layout === undefined ? tensor : materialize(tensor, layout, operand.shape));
    if (logical !== tensor) tensor.dispose();
    const slot = this.slots[id];
    let pieces: Pieces['pieces'] = [];
    if (slot?.kind === 'pieces') pieces = slot.pieces;
    else if (slot?.kind === 'whole') {
      const before = tf.keep(tf.reshape(this.flat(id), [this.elements[id]]));
      this.release(id);
      this.held.add(before.id);
      pieces = [{ operand: wholeOperand(this.buffers[id]), tensor: before }];
    }
    pieces.push({ operand, tensor: logical });
    this.slots[id] = { kind: 'pieces', pieces };
  }

  /** Sets a whole buffer (row-major contents, any shape of the right size); takes ownership. */
  set(buffer: number, tensor: tf.Tensor): void {
    if (tensor.size !== this.elements[buffer]) {
      throw new PlanRunError(`buffer \`${this.buffers[buffer].name}\` has ${this.elements[buffer]} elements, got a tensor of shape [${tensor.shape.join(', ')}]`, 'pass tensors of the shapes the plan lists');
    }
    this.release(buffer);
    this.slots[buffer] = { kind: 'whole', tensor: this.hold(tensor), layout: null };
  }

  /** Disposes what the slot holds. */
  release(buffer: number): void {
    const slot = this.slots[buffer];
    if (slot === undefined) return;
    if (slot.kind === 'whole') this.drop(slot.tensor);
    else for (const p of slot.pieces) this.drop(p.tensor);
    this.slots[buffer] = undefined;
  }

  releaseAll(): void {
    for (let i = 0; i < this.slots.length; i++) this.release(i);
  }

  private hold(tensor: tf.Tensor): tf.Tensor {
    this.held.add(tensor.id);
    return tf.keep(tensor);
  }

  private drop(tensor: tf.Tensor): void {
    this.held.delete(tensor.id);
    tensor.dispose();
  }

  private whole(buffer: number): Whole {
    const slot = this.slots[buffer];
    if (slot === undefined) {
      throw new PlanRunError(`buffer \`${this.buffers[buffer].name}\` is read before any kernel wrote it (or after its last use)`, "the plan's kernel order or liveness is inconsistent; re-emit it with `mimo plan`");
    }
    if (slot.kind === 'whole') return slot;
    const assembled = this.hold(this.assemble(buffer, slot));
    for (const p of slot.pieces) this.drop(p.tensor);
    const whole: Whole = { kind: 'whole', tensor: assembled, layout: null };
    this.slots[buffer] = whole;
    return whole;
  }

  /** The buffer's row-major contents (any shape); a pending transpose is applied once and kept. */
  private flat(buffer: number): tf.Tensor {
    const whole = this.whole(buffer);
    if (whole.layout === null || isIdentity(whole.layout.perm)) return whole.tensor;
    const flat = this.hold(materialize(whole.tensor, whole.layout, [this.elements[buffer]]));
    this.drop(whole.tensor);
    this.slots[buffer] = { kind: 'whole', tensor: flat, layout: null };
    return flat;
  }

  /** Pieces → one flat tensor: later pieces win; elements nobody wrote read NaN (as in the reference interpreter). */
  private assemble(buffer: number, slot: Pieces): tf.Tensor {
    const tiled = concatAxis(this.buffers[buffer].shape, slot.pieces);
    if (tiled !== undefined) {
      // Boxes that tile the buffer along one axis (a KV cache: the past rows, then the new one):
      // one concat, not a gather through per-element offsets.
      const ordered = [...tiled.boxes].sort((x, y) => x.begin[tiled.axis] - y.begin[tiled.axis]);
      return tf.tidy(() => tf.keep(tf.concat(ordered.map(boxValues), tiled.axis)));
    }
    const n = this.elements[buffer];
    const source = new Int32Array(n);
    let total = 0;
    const flats: tf.Tensor[] = [];
    for (const p of slot.pieces) {
      const offsets = viewOffsets(p.operand.view);
      for (let e = 0; e < offsets.length; e++) source[offsets[e]] = total + e + 1;
      total += offsets.length;
      flats.push(tf.reshape(p.tensor, [offsets.length]));
    }
    const unwritten = total;
    for (let e = 0; e < n; e++) source[e] = source[e] === 0 ? unwritten : source[e] - 1;
    return tf.tidy(() => {
      const dtype = slot.pieces[0].tensor.dtype;
      const fill = dtype === 'int32' ? tf.zeros([1], 'int32') : tf.fill([1], Number.NaN);
      return tf.keep(tf.gather(tf.concat([...flats, fill]), tf.tensor1d(source, 'int32')));
    });
  }
}

interface Box {
  /** Start and extent along each buffer axis. */
  readonly begin: number[];
  readonly size: number[];
  readonly tensor: tf.Tensor;
  /** The view's real (size > 1) axes in view order, and the transpose that puts them in buffer order. */
  readonly viewDims: number[];
  readonly perm: number[];
}

/**
 * The view as a box of the buffer (row-major `shape`), its axes possibly permuted (a head-major
 * row written through a token-major view): start and extent per buffer axis, or undefined.
 */
function boxOf(shape: readonly number[], view: Operand['view'], tensor: tf.Tensor): Box | undefined {
  const strides = rowMajorStrides(shape);
  // Buffer axis → the view axis that walks it (size > 1 axes only; strides of those are distinct).
  const from = new Array<number>(shape.length).fill(-1);
  const viewAxes: number[] = [];
  for (let v = 0; v < view.shape.length; v++) {
    if (view.shape[v] === 1) continue;
    const a = strides.findIndex((st, i) => st === view.strides[v] && shape[i] > 1 && from[i] < 0);
    if (a < 0) return undefined;
    from[a] = v;
    viewAxes.push(v);
  }
  const size = shape.map((_, a) => (from[a] < 0 ? 1 : view.shape[from[a]]));
  const begin = new Array<number>(shape.length);
  let rest = view.offset;
  for (let a = 0; a < shape.length; a++) {
    begin[a] = Math.floor(rest / strides[a]);
    rest -= begin[a] * strides[a];
    if (begin[a] + size[a] > shape[a]) return undefined;
  }
  if (rest !== 0) return undefined;
  const inBufferOrder = from.filter((v) => v >= 0);
  return { begin, size, tensor, viewDims: viewAxes.map((v) => view.shape[v]), perm: inBufferOrder.map((v) => viewAxes.indexOf(v)) };
}

/** A box's values laid out as the box (buffer axis order). */
function boxValues(b: Box): tf.Tensor {
  if (isIdentity(b.perm)) return tf.reshape(b.tensor, b.size);
  return tf.reshape(tf.transpose(tf.reshape(b.tensor, b.viewDims), b.perm), b.size);
}

/**
 * When every piece is a box of the buffer, all whole but along one axis, and together they tile
 * that axis without gaps or overlaps: that axis and the boxes. Otherwise undefined.
 */
function concatAxis(shape: readonly number[], pieces: Pieces['pieces']): { axis: number; boxes: Box[] } | undefined {
  if (pieces.length < 2) return undefined;
  const boxes: Box[] = [];
  for (const p of pieces) {
    const box = boxOf(shape, p.operand.view, p.tensor);
    if (box === undefined) return undefined;
    boxes.push(box);
  }
  const partial = shape.map((d, a) => boxes.some((b) => b.size[a] !== d));
  const axis = partial.indexOf(true);
  if (axis < 0 || partial.lastIndexOf(true) !== axis) return undefined;
  const spans = boxes.map((b) => [b.begin[axis], b.begin[axis] + b.size[axis]]).sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [start, end] of spans) {
    if (start !== at) return undefined;
    at = end;
  }
  return at === shape[axis] ? { axis, boxes } : undefined;
}

/** The view's layout over a slot's tensor held in `stored` (memoized per stored layout object). */
function composed(reader: OperandReader, stored: Layout): Layout | null {
  let l = reader.reads.get(stored);
  if (l === undefined) {
    l = reader.recipe.kind === 'block' ? (composeRead(stored, reader.recipe) ?? null) : null;
    reader.reads.set(stored, l);
  }
  return l;
}

/** The stored layout of a full write of `value` (memoized per value layout object): a layout, null for row-major, undefined when it does not compose. */
function storedLayout(reader: OperandReader, value: Layout): Layout | null | undefined {
  let l = reader.writes.get(value);
  if (l === undefined) {
    const stored = reader.recipe.kind === 'block' ? layoutForWrite(value, reader.recipe) : undefined;
    l = stored === undefined ? 'partial' : isIdentity(stored.perm) ? 'row-major' : stored;
    reader.writes.set(value, l);
  }
  return l === 'partial' ? undefined : l === 'row-major' ? null : l;
}

/** `layout` with the caller's transpose of the logical axes folded in (memoized per layout object and transpose). */
function foldPerm(reader: OperandReader, layout: Layout, perm: readonly number[]): Layout | null {
  let byPerm = reader.permuted.get(layout);
  if (byPerm === undefined) {
    byPerm = new Map();
    reader.permuted.set(layout, byPerm);
  }
  const key = perm.join();
  let folded = byPerm.get(key);
  if (folded === undefined) {
    folded = permuteLayout(layout, reader.operand.shape, perm) ?? null;
    byPerm.set(key, folded);
  }
  return folded;
}

function wholeOperand(b: PlanBuffer): Operand {
  return { buffer: b.id, shape: b.shape, view: { shape: b.shape, strides: rowMajorStrides(b.shape), offset: 0 }, role: 'whole' };
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export { invertPerm, layoutShape, squeeze };
