/**
 * Shared scaffolding of every generator: operands become bindings (one per distinct buffer, raw
 * `array<u32>` words, read_write when any operand on it is written) and uniform offsets; loads
 * and stores through views become WGSL expressions; the module is assembled with the prelude.
 */
import { viewAddress, sumExpr } from './layout.js';
import { PRELUDE } from './prelude.js';
import type { BindingAccess, KernelBinding, KernelSource, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface OperandRef {
  readonly arg: TensorArg;
  /** WGSL name of the storage binding the operand lives in. */
  readonly binding: string;
  /** WGSL expression of its element offset (a uniform). */
  readonly offset: string;
}

export class ShaderBuilder {
  private readonly buffers: { buffer: number; access: BindingAccess }[] = [];
  private readonly offsets: number[] = [];

  constructor(readonly label: string) {}

  /** Registers an operand read (`write` false) or written by the kernel. */
  operand(arg: TensorArg, write: boolean): OperandRef {
    if (!Number.isInteger(arg.offset) || arg.offset < 0) {
      throw new WgslDescriptorError(this.label, `operand offset ${arg.offset} is not a non-negative integer`);
    }
    let slot = this.buffers.findIndex((b) => b.buffer === arg.buffer);
    if (slot < 0) {
      slot = this.buffers.length;
      this.buffers.push({ buffer: arg.buffer, access: write ? 'read_write' : 'read' });
    } else if (write) {
      this.buffers[slot].access = 'read_write';
    }
    const u = this.offsets.length;
    this.offsets.push(arg.offset);
    return { arg, binding: `b${slot}`, offset: `P.o[${u >> 2}].${'xyzw'[u & 3]}` };
  }

  /**
   * A u32 value passed in the uniform block rather than written into the shader. Used for loop
   * bounds: a constant trip count invites the driver to unroll, and on lavapipe (LLVM) each
   * unrolled copy costs compile time far beyond what it saves at run time.
   */
  param(value: number): string {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new WgslDescriptorError(this.label, `parameter ${value} is not a u32`);
    const u = this.offsets.length;
    this.offsets.push(value);
    return `P.o[${u >> 2}].${'xyzw'[u & 3]}`;
  }

  /** WGSL word index of logical element `index` of an operand. */
  address(ref: OperandRef, index: readonly string[]): string {
    return sumExpr([ref.offset, viewAddress(ref.arg, index)]);
  }

  /** An f32 expression reading logical element `index` (i32 tensors are converted). */
  load(ref: OperandRef, index: readonly string[]): string {
    const word = `${ref.binding}[${this.address(ref, index)}]`;
    return ref.arg.dtype === 'f32' ? `bitcast<f32>(${word})` : `f32(bitcast<i32>(${word}))`;
  }

  /** An i32 expression reading logical element `index` (f32 tensors are truncated). */
  loadInt(ref: OperandRef, index: readonly string[]): string {
    const word = `${ref.binding}[${this.address(ref, index)}]`;
    return ref.arg.dtype === 'i32' ? `bitcast<i32>(${word})` : `i32(bitcast<f32>(${word}))`;
  }

  /** The raw 32-bit word (for dtype-agnostic copies). */
  loadWord(ref: OperandRef, index: readonly string[]): string {
    return `${ref.binding}[${this.address(ref, index)}]`;
  }

  /** A statement storing f32 `value` at logical element `index` (converted for i32 tensors). */
  store(ref: OperandRef, index: readonly string[], value: string): string {
    const word = ref.arg.dtype === 'f32' ? `bitcast<u32>(${value})` : `bitcast<u32>(i32(${value}))`;
    return `${ref.binding}[${this.address(ref, index)}] = ${word};`;
  }

  storeWord(ref: OperandRef, index: readonly string[], word: string): string {
    return `${ref.binding}[${this.address(ref, index)}] = ${word};`;
  }

  /**
   * The WGSL module: bindings, uniform block, prelude, the caller's declarations and its entry
   * point `main` with `@workgroup_size(size)`; `body` may use `lid` (local index), `wid`
   * (workgroup id), `nwg` (workgroup counts) and `gid` (global invocation id).
   */
  finish(options: { declarations?: string; workgroupSize: readonly [number, number?, number?]; body: string; workgroups: readonly [number, number, number] }): KernelSource {
    for (const w of options.workgroups) {
      if (!Number.isInteger(w) || w < 1 || w > 65535) throw new WgslDescriptorError(this.label, `workgroup count ${w} out of range`);
    }
    const [sx, sy = 1, sz = 1] = options.workgroupSize;
    if (sx * sy * sz > 256) throw new WgslDescriptorError(this.label, `workgroup size ${sx}×${sy}×${sz} exceeds 256 invocations`);
    const words = Math.max(4, Math.ceil(this.offsets.length / 4) * 4);
    const lines: string[] = [];
    lines.push(`// ${this.label}`);
    this.buffers.forEach((b, i) => {
      lines.push(`@group(0) @binding(${i}) var<storage, ${b.access}> b${i}: array<u32>;`);
    });
    lines.push(`struct Params { o: array<vec4u, ${words / 4}> }`);
    lines.push(`@group(0) @binding(${this.buffers.length}) var<uniform> P: Params;`);
    lines.push(PRELUDE);
    if (options.declarations !== undefined && options.declarations !== '') lines.push(options.declarations.trim());
    lines.push(`@compute @workgroup_size(${sx}, ${sy}, ${sz})`);
    lines.push(
      'fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(global_invocation_id) gid: vec3u) {',
    );
    lines.push(indent(options.body.trim(), '  '));
    lines.push('}');
    const uniforms = [...this.offsets];
    while (uniforms.length < words) uniforms.push(0);
    const bindings: KernelBinding[] = this.buffers.map((b) => ({ buffer: b.buffer, access: b.access }));
    return { label: this.label, wgsl: lines.join('\n') + '\n', entryPoint: 'main', workgroups: [...options.workgroups] as [number, number, number], bindings, uniforms };
  }
}

export function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}

/** A WGSL f32 expression for a JavaScript number, exact after rounding to float32. */
export function f32Literal(value: number): string {
  if (Number.isNaN(value)) return 'bitcast<f32>(0x7fc00000u)';
  if (value === Infinity) return 'bitcast<f32>(0x7f800000u)';
  if (value === -Infinity) return 'bitcast<f32>(0xff800000u)';
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return value > 0 ? 'bitcast<f32>(0x7f800000u)' : 'bitcast<f32>(0xff800000u)';
  if (Object.is(f, -0)) return '-0.0f';
  const s = String(Math.abs(f));
  const lit = /[.e]/.test(s) ? `${s}f` : `${s}.0f`;
  return f < 0 ? `(-${lit})` : lit;
}

/** Shorthand for the linear workgroup index of a kernel dispatched with `spreadWorkgroups`. */
export const LINEAR_WORKGROUP = 'wid.x + wid.y * nwg.x';
