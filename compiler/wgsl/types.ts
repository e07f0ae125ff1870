/**
 * Descriptors for the WGSL kernel generators, and what every generator returns.
 *
 * A generator is a pure function `descriptor → KernelSource`. Descriptors are concrete (every
 * shape is a number) and name their tensors by `TensorArg`: which storage buffer, where in it, and
 * through which strided view. The generated WGSL depends on shapes, strides and on which operands
 * share a buffer, but NOT on buffer identities or element offsets: offsets are run-time uniforms,
 * so two layers with the same shapes share one WGSL text (one pipeline) and differ only by their
 * bind group and uniform block.
 */

/** Element types of stored tensors. Storage is bound as raw 32-bit words; `f32`/`i32` say how to read them. */
export type ElementType = 'f32' | 'i32';

/** A strided layout: element `i` (row-major over `shape`) lives at `Σ unravel(i, shape)[a] · strides[a]`. */
export interface Strided {
  readonly shape: readonly number[];
  /** In elements; 0 broadcasts an axis. */
  readonly strides: readonly number[];
}

/**
 * One tensor operand. The kernel sees it with logical shape `shape` (row-major); logical element
 * `i` lives at buffer element `offset + address(i)` where `address` unravels `i` over `view.shape`
 * (same element count and order as `shape`, possibly split or merged differently) and applies
 * `view.strides`. Without a view the tensor is contiguous.
 */
export interface TensorArg {
  /** Identifies the storage; operands with the same `buffer` share one binding. */
  readonly buffer: number;
  readonly shape: readonly number[];
  readonly dtype: ElementType;
  /** Element offset of the view's origin in the buffer (a run-time uniform). */
  readonly offset: number;
  readonly view?: Strided;
}

/** Pointwise functions of `activation` instructions (gelu = erf form; gelu_tanh = GPT-2's gelu_new; quick_gelu = x·σ(1.702x)). */
export type ActivationFn = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu' | 'sigmoid' | 'tanh';

/**
 * One instruction of a straight-line elementwise program (the same language as the plan's
 * epilogues): instruction `i` defines register `i`, the last register is the result; float32.
 */
export type Instr =
  /** Operand `input` of the kernel's `loads`, read at the output element's logical index with NumPy broadcasting. */
  | { readonly op: 'load'; readonly input: number }
  /** The kernel's own value at this element: accumulator of packed part `part` (matmul), the conv or reduction result (`part` 0). */
  | { readonly op: 'acc'; readonly part: number }
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div'; readonly a: number; readonly b: number }
  | { readonly op: 'activation'; readonly fn: ActivationFn; readonly a: number };

export type Program = readonly Instr[];

export type NormFn = 'layernorm' | 'rmsnorm';

/** How a storage binding is used by one kernel. */
export type BindingAccess = 'read' | 'read_write';

export interface KernelBinding {
  /** The descriptor's `TensorArg.buffer` bound here (binding index = position in `bindings`). */
  readonly buffer: number;
  readonly access: BindingAccess;
}

/**
 * A generated kernel: WGSL text plus how to run it. Bindings are `@group(0) @binding(i)` storage
 * buffers of `array<u32>` for `i < bindings.length`, then one uniform buffer at binding
 * `bindings.length` holding `uniforms` (u32 words: the element offsets of the operands).
 */
export interface KernelSource {
  readonly label: string;
  readonly wgsl: string;
  readonly entryPoint: 'main';
  /** Workgroups to dispatch (each ≤ 65535). */
  readonly workgroups: readonly [number, number, number];
  readonly bindings: readonly KernelBinding[];
  readonly uniforms: readonly number[];
}

/** A descriptor the generators cannot honour (shapes disagree, a limit is exceeded). */
export class WgslDescriptorError extends Error {
  constructor(kernel: string, message: string) {
    super(`${kernel}: ${message}`);
    this.name = 'WgslDescriptorError';
  }
}
