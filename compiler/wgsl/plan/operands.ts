/**
 * Where plan operands live on the device. The activation arena (every plan buffer with an
 * `offset`: inputs, intermediates, outputs) is GPU buffer 0 — or, when it is larger than a storage
 * binding may be, several chunks plus a buffer of its own for each plan buffer that would straddle
 * a chunk boundary (`arenaLayout`). Each weight, prepared tensor and KV cache is a buffer of its
 * own; the lowering may add buffers (routing tables, constant tables). A plan operand becomes a
 * `TensorArg` whose element offset is its buffer's offset in its arena chunk (bytes / 4) plus the
 * view's offset.
 */
import type { GpuBufferSpec, GpuTensorIo } from '../../../runtime/webgpu/program.js';
import type { Instr as PlanInstr, Operand, Plan, PlanBuffer } from '../../plan/types.js';
import type { Instr, Program, TensorArg } from '../types.js';

/** A plan the WebGPU lowering cannot run (float16 storage, an op it has no kernel for, …). */
export class PlanLoweringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanLoweringError';
  }
}


export class PlanBuffers {
  readonly specs: GpuBufferSpec[] = [];
  private readonly gpuOf = new Map<number, number>();
  /** Byte offset of each arena plan buffer within its chunk. */
  private readonly chunkOffset = new Map<number, number>();

  constructor(
    readonly plan: Plan,
    maxBindingBytes = Number.POSITIVE_INFINITY,
  ) {
    if (plan.dtype !== 'float32') throw new PlanLoweringError(`the WebGPU executor runs float32 plans; this plan stores ${plan.dtype}`);
    for (const b of plan.buffers) {
      if (b.offset !== undefined && b.offset % 4 !== 0) throw new PlanLoweringError(`buffer ${b.name} sits at byte ${b.offset}, not a multiple of 4`);
    }
    const arena = arenaLayout(plan, maxBindingBytes);
    arena.chunks.forEach((c, i) => this.specs.push({ kind: 'arena', name: arena.chunks.length === 1 ? 'arena' : `arena${i}`, bytes: c.bytes }));
    for (const b of arena.spilled) this.gpuOf.set(b.id, this.add({ kind: 'arena', name: b.name, bytes: b.bytes }));
    for (const b of plan.buffers) {
      if (b.dtype !== 'float32' && b.dtype !== 'int32') throw new PlanLoweringError(`buffer ${b.name} is ${b.dtype}; only float32 and int32 are supported`);
      const place = arena.placement.get(b.id);
      if (place !== undefined) {
        this.gpuOf.set(b.id, place.chunk);
        this.chunkOffset.set(b.id, place.offset);
      } else if (b.offset !== undefined) {
        continue; // spilled: a buffer of its own, offset 0
      } else if (b.kind === 'weight') {
        this.gpuOf.set(b.id, this.add({ kind: 'weight', name: b.name, weight: b.weight ?? b.name, shape: b.shape, bytes: b.bytes }));
      } else if (b.kind === 'prepared' || b.kind === 'kv_cache') {
        this.gpuOf.set(b.id, this.add({ kind: 'state', name: b.name, bytes: b.bytes }));
      }
    }
  }

  add(spec: GpuBufferSpec): number {
    return this.specs.push(spec) - 1;
  }

  buffer(op: Operand): PlanBuffer {
    const b = this.plan.buffers[op.buffer];
    if (b === undefined) throw new PlanLoweringError(`operand ${op.role} names buffer ${op.buffer}, which the plan lacks`);
    return b;
  }

  isConstant(op: Operand): boolean {
    return this.buffer(op).kind === 'constant';
  }

  constantValue(op: Operand): number {
    return this.buffer(op).value ?? 0;
  }

  /** The operand as a kernel argument (never a constant). */
  arg(op: Operand): TensorArg {
    const b = this.buffer(op);
    const gpu = this.gpuOf.get(b.id);
    if (gpu === undefined) throw new PlanLoweringError(`operand ${op.role} reads ${b.kind} buffer ${b.name}, which has no storage`);
    const base = (this.chunkOffset.get(b.id) ?? 0) / 4;
    return { buffer: gpu, shape: op.shape, dtype: b.dtype === 'int32' ? 'i32' : 'f32', offset: base + op.view.offset, view: { shape: op.view.shape, strides: op.view.strides } };
  }

  io(name: string, op: Operand): GpuTensorIo {
    const a = this.arg(op);
    return { name, buffer: a.buffer, dtype: a.dtype, shape: op.shape, view: { shape: op.view.shape, strides: op.view.strides, offset: a.offset } };
  }
}

/**
 * Rewrites programs whose `load`s index a kernel's inputs: loads of folded constants become
 * `const` instructions and the remaining loads are renumbered over a compact operand list.
 */
export function compactLoads(buffers: PlanBuffers, inputs: readonly Operand[], programs: readonly (readonly PlanInstr[])[]): { programs: Program[]; loads: TensorArg[] } {
  const loads: TensorArg[] = [];
  const slot = new Map<number, number>();
  const out = programs.map((program) =>
    program.map((ins): Instr => {
      if (ins.op !== 'load') return ins;
      const op = inputs[ins.input];
      if (op === undefined) throw new PlanLoweringError(`a program loads input ${ins.input} of ${inputs.length}`);
      if (buffers.isConstant(op)) return { op: 'const', value: buffers.constantValue(op) };
      let s = slot.get(ins.input);
      if (s === undefined) {
        s = loads.push(buffers.arg(op)) - 1;
        slot.set(ins.input, s);
      }
      return { op: 'load', input: s };
    }),
  );
  return { programs: out, loads };
}

/** Where the arena's plan buffers go on a device: arena chunks, and buffers that straddle a cut. */
export interface ArenaLayout {
  /** Chunk i holds arena bytes [i·stride, i·stride + bytes). */
  readonly chunks: readonly { readonly start: number; readonly bytes: number }[];
  /** Plan buffer id → chunk index and byte offset within it; absent for spilled buffers. */
  readonly placement: ReadonlyMap<number, { readonly chunk: number; readonly offset: number }>;
  /** Plan buffers that straddle a cut, each given a GPU buffer of its own. */
  readonly spilled: readonly PlanBuffer[];
}

/**
 * The arena as storage bindings of at most `maxBindingBytes`: one chunk when it fits; otherwise
 * fixed-size chunks, and every plan buffer that would straddle a chunk boundary gets a buffer of
 * its own (it loses the planner's storage reuse, nothing else: each plan buffer keeps one place).
 * A single tensor larger than a binding cannot be placed.
 */
export function arenaLayout(plan: Plan, maxBindingBytes: number): ArenaLayout {
  const total = plan.memory.arenaBytes;
  const placed = plan.buffers.filter((b) => b.offset !== undefined);
  const placement = new Map<number, { chunk: number; offset: number }>();
  if (total <= maxBindingBytes) {
    for (const b of placed) placement.set(b.id, { chunk: 0, offset: b.offset as number });
    return { chunks: [{ start: 0, bytes: total }], placement, spilled: [] };
  }
  for (const b of placed) {
    if (b.bytes > maxBindingBytes) {
      throw new PlanLoweringError(`activation \`${b.name}\` needs ${b.bytes} bytes but a storage binding holds at most ${maxBindingBytes} on this device; plan a shorter sequence or a smaller batch`);
    }
  }
  const stride = maxBindingBytes - (maxBindingBytes % 4);
  const count = Math.ceil(total / stride);
  const chunks = Array.from({ length: count }, (_, i) => ({ start: i * stride, bytes: Math.min(stride, total - i * stride) }));
  const spilled: PlanBuffer[] = [];
  for (const b of placed) {
    const start = b.offset as number;
    const chunk = Math.floor(start / stride);
    if (b.bytes > 0 && Math.floor((start + b.bytes - 1) / stride) !== chunk) spilled.push(b);
    else placement.set(b.id, { chunk, offset: start - chunk * stride });
  }
  return { chunks, placement, spilled };
}
