/**
 * Symbolic dimensions. A dim is an integer or a monomial `c*s1*s2` (coefficient > 1 optional,
 * symbols ascending) in canonical text, so equal dims are equal strings and shapes print and
 * parse without a separate expression language. Sums never occur: the IR keeps `seq` whole.
 */
import type { Dim, Shape, SymbolBindings } from './types.js';

export interface Monomial {
  readonly coefficient: number;
  /** Ascending, repeats allowed (`batch*batch`). */
  readonly symbols: readonly string[];
}

const SYMBOL = /^[a-z_][a-z0-9_]*$/;

export function isSymbolName(name: string): boolean {
  return SYMBOL.test(name);
}

/** Reads a dim into its monomial; throws on malformed text (a programming error, or a bad IR text caught by the parser). */
export function toMonomial(dim: Dim): Monomial {
  if (typeof dim === 'number') {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new Error(`dim ${dim} is not a non-negative integer`);
    return { coefficient: dim, symbols: [] };
  }
  let coefficient = 1;
  const symbols: string[] = [];
  for (const factor of dim.split('*')) {
    if (/^[0-9]+$/.test(factor)) coefficient *= Number(factor);
    else if (SYMBOL.test(factor)) symbols.push(factor);
    else throw new Error(`malformed dim \`${dim}\``);
  }
  symbols.sort();
  return { coefficient, symbols };
}

/** The canonical dim of a monomial: a number when it has no symbols. */
export function fromMonomial(m: Monomial): Dim {
  if (m.symbols.length === 0 || m.coefficient === 0) return m.coefficient;
  const symbols = [...m.symbols].sort().join('*');
  return m.coefficient === 1 ? symbols : `${m.coefficient}*${symbols}`;
}

/** Puts a dim in canonical form (`batch*8` → `8*batch`). */
export function canonicalDim(dim: Dim): Dim {
  return fromMonomial(toMonomial(dim));
}

export function isCanonicalDim(dim: Dim): boolean {
  try {
    return canonicalDim(dim) === dim;
  } catch {
    return false;
  }
}

export function mulDims(...dims: readonly Dim[]): Dim {
  let coefficient = 1;
  const symbols: string[] = [];
  for (const d of dims) {
    const m = toMonomial(d);
    coefficient *= m.coefficient;
    symbols.push(...m.symbols);
  }
  return fromMonomial({ coefficient, symbols });
}

/** Exact division of a monomial by an integer, or undefined when it does not divide. */
export function divDim(dim: Dim, divisor: number): Dim | undefined {
  const m = toMonomial(dim);
  if (divisor <= 0 || m.coefficient % divisor !== 0) return undefined;
  return fromMonomial({ coefficient: m.coefficient / divisor, symbols: m.symbols });
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  return canonicalDim(a) === canonicalDim(b);
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimsEqual(d, b[i]));
}

export function numElements(shape: Shape): Dim {
  return mulDims(1, ...shape);
}

export function symbolsOf(dim: Dim): readonly string[] {
  return toMonomial(dim).symbols;
}

export function evalDim(dim: Dim, bindings: SymbolBindings): number {
  const m = toMonomial(dim);
  let value = m.coefficient;
  for (const s of m.symbols) {
    const v = bindings[s];
    if (v === undefined) throw new Error(`no value for shape symbol \`${s}\``);
    value *= v;
  }
  return value;
}

export function evalShape(shape: Shape, bindings: SymbolBindings): number[] {
  return shape.map((d) => evalDim(d, bindings));
}

export function formatDim(dim: Dim): string {
  return String(dim);
}

export function formatShape(shape: Shape): string {
  return `[${shape.map(formatDim).join(', ')}]`;
}

/** NumPy broadcasting of two shapes, or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (dimsEqual(da, db)) out.push(da);
    else if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else return undefined;
  }
  return out;
}

/** Normalises a possibly negative axis against a rank; undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}
