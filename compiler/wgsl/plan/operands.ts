/**
 * Where plan operands live on the device. GPU buffer 0 is the activation arena (every plan
 * buffer with an `offset`: inputs, intermediates, outputs); each weight, prepared tensor and KV
 * cache is a buffer of its own; the lowering may add buffers (routing tables, constant tables).
 * A plan operand becomes a `TensorArg` whose element offset is the buffer's arena offset (bytes /
 * 4) plus the view's offset.
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

export const ARENA = 0;

export class PlanBuffers {
  readonly specs: GpuBufferSpec[] = [];
  private readonly gpuOf = new Map<number, number>();

  constructor(readonly plan: Plan) {
    if (plan.dtype !== 'float32') throw new PlanLoweringError(`the WebGPU executor runs float32 plans; this plan stores ${plan.dtype}`);
    this.specs.push({ kind: 'arena', name: 'arena', bytes: plan.memory.arenaBytes });
    for (const b of plan.buffers) {
      if (b.dtype !== 'float32' && b.dtype !== 'int32') throw new PlanLoweringError(`buffer ${b.name} is ${b.dtype}; only float32 and int32 are supported`);
      if (b.offset !== undefined) {
        if (b.offset % 4 !== 0) throw new PlanLoweringError(`buffer ${b.name} sits at byte ${b.offset}, not a multiple of 4`);
        this.gpuOf.set(b.id, ARENA);
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
    const base = b.offset === undefined ? 0 : b.offset / 4;
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
