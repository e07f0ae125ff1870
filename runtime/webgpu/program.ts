/**
 * The WebGPU program: everything the executor needs to run a compiled plan, as plain data
 * (JSON-serialisable). The compiler (compiler/wgsl) produces it from a plan; the executor knows
 * nothing about kernels — it creates buffers, compiles each distinct shader once, binds, and
 * dispatches in order.
 */

export const GPU_PROGRAM_FORMAT = 'mimo-webgpu';
export const GPU_PROGRAM_VERSION = 1;

export type GpuElementType = 'f32' | 'i32';

/** Storage the program uses; a buffer's id is its index in `GpuProgram.buffers`. */
export type GpuBufferSpec =
  /** The activation arena: graph inputs, intermediates and outputs at planned offsets. */
  | { readonly kind: 'arena'; readonly name: string; readonly bytes: number }
  /** A checkpoint tensor, uploaded once from the weight source by name (float32). */
  | { readonly kind: 'weight'; readonly name: string; readonly weight: string; readonly shape: readonly number[]; readonly bytes: number }
  /** Persistent storage computed on the device (prepared weights, KV caches); zero at creation. */
  | { readonly kind: 'state'; readonly name: string; readonly bytes: number }
  /** Data known when compiling (index tables): 32-bit words, uploaded once. */
  | { readonly kind: 'constant'; readonly name: string; readonly bytes: number; readonly words: readonly number[] };

export interface GpuBinding {
  readonly buffer: number;
  readonly access: 'read' | 'read_write';
}

/** One compute dispatch: `@group(0) @binding(i)` = `bindings[i]`, then the uniform words at binding `bindings.length`. */
export interface GpuDispatch {
  readonly label: string;
  /** Index into `GpuProgram.shaders` (entry point `main`). */
  readonly shader: number;
  readonly workgroups: readonly [number, number, number];
  readonly bindings: readonly GpuBinding[];
  /** u32 words of the uniform block (a multiple of 4). */
  readonly uniforms: readonly number[];
}

/** A strided placement inside a buffer, in elements (see compiler/plan: View). */
export interface GpuView {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A graph input or output: a tensor of `shape`, stored in `buffer` through `view`. */
export interface GpuTensorIo {
  readonly name: string;
  readonly buffer: number;
  readonly dtype: GpuElementType;
  readonly shape: readonly number[];
  readonly view: GpuView;
}

/**
 * Work the host does before each forward from the input values: the zipper's routing table.
 * For every (b, p), `target[b, p, :] = (source, row)`: source 0 reads table row `ids[b, p]`;
 * source k + 1 reads row n of sense k for the n-th occurrence of its placeholder in sample b.
 */
export interface GpuZipRoutes {
  readonly kind: 'zip_routes';
  /** The input holding the token ids `[batch, seq]`. */
  readonly ids: string;
  readonly placeholders: readonly { readonly sense: string; readonly tokenId: number; readonly tokens: number }[];
  /** int32 `[batch, seq, 2]`. */
  readonly target: GpuTensorIo;
}

export type GpuHostStep = GpuZipRoutes;

export interface GpuProgram {
  readonly format: typeof GPU_PROGRAM_FORMAT;
  readonly version: typeof GPU_PROGRAM_VERSION;
  readonly label: string;
  /** Distinct WGSL modules; dispatches refer to them by index. */
  readonly shaders: readonly string[];
  readonly buffers: readonly GpuBufferSpec[];
  /** Run once after the weights are uploaded. */
  readonly prepare: readonly GpuDispatch[];
  /** Run in order, every forward, in one command buffer. */
  readonly forward: readonly GpuDispatch[];
  readonly inputs: readonly GpuTensorIo[];
  readonly outputs: readonly GpuTensorIo[];
  readonly hostSteps: readonly GpuHostStep[];
}
