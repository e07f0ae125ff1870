/**
 * What a kernel compiler sees at load time (`LoadContext`) and what the step it returns sees on
 * every forward (`RunContext`). A compiler turns one plan kernel into a closure over everything
 * that can be prepared once: weights transposed to the layout tfjs's fast paths want, biases
 * packed, constants built, view recipes compiled.
 */
import type { tf } from '../../backend/tf.js';
import type { Layout } from '../layout.js';
import type { Operand, PlanKernel } from '../types.js';

/** Load-time access to one kernel's inputs (by operand index). */
export interface LoadContext {
  /** True when the input's buffer is a weight, prepared tensor or constant (known at load time). */
  isPersistent(input: number): boolean;
  /**
   * The input's value now, at its logical shape, for a load-time preparation; the step promises
   * not to read this input again, so a weight only ever used this way is freed after loading.
   * The tensor is a temporary of the caller's tidy scope.
   */
  take(input: number): tf.Tensor;
  /** Keeps a tensor made at load time and frees it with the executor. */
  own<T extends tf.Tensor>(tensor: T): T;
  /** The compiled step will ask for the host values of this int32 input (`RunContext.hostInts`). */
  needsHost(input: number): void;
}

export interface RunContext {
  /**
   * Input operand `input` at its logical shape, transposed by `perm` over the logical axes (folded
   * into the read when possible), and reshaped to `shape` (same row-major order) when given.
   * The tensor may be shared: never dispose it.
   */
  read(input: number, perm?: readonly number[], shape?: readonly number[]): tf.Tensor;
  /** The int32 values of input operand `input` on the host, row-major over its logical shape. */
  hostInts(input: number): Int32Array;
  /** A value shared by every kernel of one forward (rope tables, attention masks), made once per forward and kept until it ends. */
  memo<T extends tf.Tensor | readonly tf.Tensor[]>(key: string, make: () => T): T;
  /** Key naming an input operand's value (buffer and view), for `memo`. */
  operandKey(input: number): string;
}

/**
 * One output of a step: operand index, the tensor (ownership passes to the buffer table), and how
 * it holds the logical value: by default the tensor in row-major order (any shape of the right
 * size — a 2-D `[rows, width]` product needs no reshape to `[batch, seq, width]`).
 */
export interface KernelWrite {
  readonly output: number;
  readonly tensor: tf.Tensor;
  readonly layout?: Layout;
}

export type KernelStep = (ctx: RunContext) => readonly KernelWrite[];

export type KernelCompiler<K extends PlanKernel> = (kernel: K, load: LoadContext) => KernelStep;

export function operandKeyOf(op: Operand): string {
  return `${op.buffer}@${op.view.offset}:${op.view.shape.join('x')}/${op.view.strides.join(',')}`;
}
