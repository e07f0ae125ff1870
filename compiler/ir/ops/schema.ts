/**
 * What every op kind declares: how many operands it takes, how its output type follows from its
 * operands and attributes (shape inference, which doubles as the type checker), and its fusion
 * category. The builder and the `shapes-agree` invariant both call `infer`, so a graph that
 * verifies is one whose stored types are exactly the inferred ones.
 */
import type { IrDType, OpAttrs, OpCategory, OpKind, Shape, WeightSpec } from '../types.js';

export interface TensorType {
  readonly shape: Shape;
  readonly dtype: IrDType;
}

export interface InferContext {
  readonly weights: ReadonlyMap<string, WeightSpec>;
}

export interface OpSchema<K extends OpKind> {
  /** Exact operand count, or `[min, max]` (max `Infinity` for variadic). */
  readonly arity: number | readonly [number, number];
  /**
   * The output type. `declared` is the node's own type: sources and shape-setting ops
   * (`input`, `constant`, `reshape`, `broadcast_to`, `causal_mask`) read their target from it and
   * validate it. Throws `IrTypeError` when operands or attributes do not fit.
   */
  infer(attrs: OpAttrs[K], operands: readonly TensorType[], declared: TensorType | undefined, ctx: InferContext): TensorType;
  category(operands: readonly TensorType[], output: TensorType): OpCategory;
}

export type OpSchemas = { readonly [K in OpKind]: OpSchema<K> };

/** A type error inside the IR: a bug in a builder or a malformed IR text, never a user error. */
export class IrTypeError extends Error {
  override readonly name = 'IrTypeError';
}

export function fail(message: string): never {
  throw new IrTypeError(message);
}

export const FLOAT_DTYPES: readonly IrDType[] = ['float32', 'float16', 'bfloat16'];

export function isFloat(dtype: IrDType): boolean {
  return FLOAT_DTYPES.includes(dtype);
}

export function requireFloat(t: TensorType, what: string): void {
  if (!isFloat(t.dtype)) fail(`${what} must be a float tensor, got ${t.dtype}`);
}

export function requireInt(t: TensorType, what: string): void {
  if (t.dtype !== 'int32') fail(`${what} must be int32, got ${t.dtype}`);
}

export function requireSameDtype(ts: readonly TensorType[], what: string): IrDType {
  const first = ts[0].dtype;
  for (const t of ts) if (t.dtype !== first) fail(`${what}: operand dtypes differ (${first} vs ${t.dtype})`);
  return first;
}

export function requireDeclared(declared: TensorType | undefined, op: string): TensorType {
  if (declared === undefined) fail(`${op} needs a declared output type`);
  return declared;
}

export function requireConcrete(dim: unknown, what: string): number {
  if (typeof dim !== 'number') fail(`${what} must be a concrete size, got \`${String(dim)}\``);
  return dim;
}

export const fixedCategory =
  (category: OpCategory) =>
  (): OpCategory =>
    category;
