/**
 * Shared helpers for the WGSL kernel tests: one device per test file (a missing adapter is a
 * failure with a clear message, never a skip), seeded random data, running generated kernels on
 * poisoned buffers through the real executor, and the relative-error metric.
 */
import type { KernelSource, TensorArg } from '../../compiler/wgsl/types.js';
import { acquireGpu, NO_ADAPTER_HELP, type GpuContext } from '../../runtime/webgpu/device.js';
import { WebGpuExecutor } from '../../runtime/webgpu/executor.js';
import { PipelineCache } from '../../runtime/webgpu/pipelines.js';
import type { GpuProgram } from '../../runtime/webgpu/program.js';
import { viewElementOffsets } from '../../runtime/webgpu/tensorIo.js';

let shared: { ctx: GpuContext; pipelines: PipelineCache } | undefined;

/** The test device; throws (failing the test) when this machine has no WebGPU adapter. */
export async function testGpu(): Promise<{ ctx: GpuContext; pipelines: PipelineCache }> {
  if (shared !== undefined) return shared;
  // lavapipe (Mesa's CPU Vulkan driver) compiles each shader with LLVM; 4-wide instead of 8-wide
  // SIMD halves that compile time and changes no result. Other drivers ignore the variable, and
  // it only takes effect if no Vulkan driver was loaded in this process yet.
  process.env.LP_NATIVE_VECTOR_WIDTH ??= '128';
  let ctx: GpuContext;
  try {
    ctx = await acquireGpu();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `WebGPU kernel tests need an adapter and none is usable here (${why}). ${NO_ADAPTER_HELP}` +
        (process.env.CI === 'true' ? ' CI installs it in .ci/run.' : ''),
    );
  }
  shared = { ctx, pipelines: new PipelineCache(ctx.device) };
  return shared;
}

export function releaseGpu(): void {
  shared?.ctx.destroy();
  shared = undefined;
}

/** mulberry32: a small deterministic generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [-scale, scale], never exactly zero. */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = (r() * 2 - 1) * scale;
    if (v === 0) v = scale / 7;
    out[i] = v;
  }
  return out;
}

export function randomInts(n: number, seed: number, lo: number, hi: number): Int32Array {
  const r = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + Math.floor(r() * (hi - lo));
  return out;
}

/** ‖out − ref‖ / ‖ref‖ in float64; Infinity when `out` has a NaN or the lengths differ. */
export function relError(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (out.length !== ref.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    if (!Number.isFinite(out[i])) return Infinity;
    num += (out[i] - ref[i]) ** 2;
    den += ref[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

export const NAN_WORD = 0x7fc00000;

/** Host contents of one test buffer: its words, f32 or i32. */
export interface HostBuffer {
  readonly id: number;
  readonly data: Float32Array | Int32Array;
  /** Read back after the run. */
  readonly output?: boolean;
}

/** A contiguous tensor argument over a whole buffer (or at `offset`). */
export function arg(buffer: number, shape: readonly number[], options: { dtype?: 'f32' | 'i32'; offset?: number; view?: { shape: number[]; strides: number[] } } = {}): TensorArg {
  return { buffer, shape, dtype: options.dtype ?? 'f32', offset: options.offset ?? 0, ...(options.view === undefined ? {} : { view: options.view }) };
}

/** Logical elements of `t` (row-major) out of a host buffer. */
export function logical(buffer: Float32Array | Int32Array, t: TensorArg): Float64Array {
  const view = t.view ?? { shape: t.shape, strides: contiguous(t.shape) };
  const offsets = viewElementOffsets({ shape: view.shape, strides: view.strides, offset: t.offset });
  return Float64Array.from(offsets, (o) => buffer[o]);
}

export function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let p = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = p;
    p *= shape[i];
  }
  return s;
}

/**
 * Runs kernels in order on buffers whose non-input words start as NaN (output buffers are
 * entirely poisoned), returning every output buffer's words after the run.
 */
export async function runKernels(kernels: readonly KernelSource[], buffers: readonly HostBuffer[]): Promise<Map<number, Uint32Array>> {
  const { ctx, pipelines } = await testGpu();
  const shaders: string[] = [];
  const ids = new Map<number, number>();
  buffers.forEach((b, i) => ids.set(b.id, i));
  const program: GpuProgram = {
    format: 'mimo-webgpu',
    version: 1,
    label: 'test',
    shaders,
    buffers: buffers.map((b) => ({ kind: 'state' as const, name: `t${b.id}`, bytes: b.data.length * 4 })),
    prepare: [],
    forward: kernels.map((k) => {
      let s = shaders.indexOf(k.wgsl);
      if (s < 0) s = shaders.push(k.wgsl) - 1;
      return {
        label: k.label,
        shader: s,
        workgroups: k.workgroups,
        bindings: k.bindings.map((bd) => ({ buffer: ids.get(bd.buffer) as number, access: bd.access })),
        uniforms: k.uniforms,
      };
    }),
    inputs: buffers
      .filter((b) => b.output !== true)
      .map((b) => ({ name: `t${b.id}`, buffer: ids.get(b.id) as number, dtype: b.data instanceof Int32Array ? 'i32' : 'f32', shape: [b.data.length], view: { shape: [b.data.length], strides: [1], offset: 0 } })),
    outputs: buffers
      .filter((b) => b.output === true)
      .map((b) => ({ name: `t${b.id}`, buffer: ids.get(b.id) as number, dtype: 'i32' as const, shape: [b.data.length], view: { shape: [b.data.length], strides: [1], offset: 0 } })),
    hostSteps: [],
  };
  const exec = await WebGpuExecutor.create(ctx, program, new Map(), { pipelines, poison: true });
  try {
    const inputs: Record<string, Float32Array | Int32Array> = {};
    for (const b of buffers) if (b.output !== true) inputs[`t${b.id}`] = b.data;
    const result = await exec.forward(inputs);
    const out = new Map<number, Uint32Array>();
    for (const b of buffers) if (b.output === true) out.set(b.id, new Uint32Array((result.outputs[`t${b.id}`] as Int32Array).buffer));
    return out;
  } finally {
    exec.destroy();
  }
}

export function asF32(words: Uint32Array): Float32Array {
  return new Float32Array(words.buffer, words.byteOffset, words.length);
}

/** Words of `words` outside the given element offsets that are no longer the poison value. */
export function strayWrites(words: Uint32Array, written: Iterable<number>): number {
  const inside = new Set(written);
  let n = 0;
  for (let i = 0; i < words.length; i++) if (!inside.has(i) && words[i] !== NAN_WORD) n++;
  return n;
}

/** Element offsets a tensor argument covers. */
export function covered(t: TensorArg): Int32Array {
  const view = t.view ?? { shape: t.shape, strides: contiguous(t.shape) };
  return viewElementOffsets({ shape: view.shape, strides: view.strides, offset: t.offset });
}

/**
 * Runs one kernel whose output is `out` in buffer `outBuffer` (poisoned, `outWords` long) and
 * returns the output's logical values, checking that nothing outside it was written.
 */
export async function runOne(kernel: KernelSource, inputs: readonly HostBuffer[], outs: readonly { arg: TensorArg; words: number }[]): Promise<Float64Array[]> {
  const buffers: HostBuffer[] = [...inputs];
  for (const o of outs) {
    if (!buffers.some((b) => b.id === o.arg.buffer)) buffers.push({ id: o.arg.buffer, data: new Float32Array(o.words), output: true });
  }
  const words = await runKernels([kernel], buffers);
  return outs.map((o) => {
    const w = words.get(o.arg.buffer) as Uint32Array;
    const stray = strayWrites(w, outs.filter((x) => x.arg.buffer === o.arg.buffer).flatMap((x) => [...covered(x.arg)]));
    if (stray > 0) throw new Error(`${kernel.label}: ${stray} words written outside the output tensors`);
    return o.arg.dtype === 'i32' ? logical(new Int32Array(w.buffer), o.arg) : logical(asF32(w), o.arg);
  });
}
