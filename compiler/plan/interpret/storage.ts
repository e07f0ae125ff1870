/**
 * Storage of the plan interpreter: the arena laid out exactly at the plan's offsets (so a wrong
 * memory plan corrupts results and the equivalence tests catch it), persistent buffers beside it,
 * and operand accessors that read and write through strided views.
 */
import { DTYPE_BYTES } from '../cost.js';
import type { Operand, Plan, PlanBuffer } from '../types.js';
import { viewOffsets } from '../view.js';
import { InterpretError } from './ops.js';
import type { Tensor } from './tensor.js';
import { size } from './tensor.js';

export interface Store {
  readonly data: Float32Array | Int32Array;
  /** Element index of the buffer's first element in `data`. */
  readonly base: number;
}

/** Reads and writes one operand's logical elements (row-major) through its view. */
export interface Access {
  readonly shape: readonly number[];
  get(i: number): number;
  set(i: number, value: number): void;
  /** All logical elements as a contiguous tensor. */
  tensor(): Tensor;
}

export class PlanStorage {
  private readonly stores = new Map<number, Store>();

  constructor(private readonly plan: Plan) {
    const arena = plan.buffers.filter((b) => b.offset !== undefined);
    // One 4-byte slot per `unit` modeled bytes: every buffer's elements fit in its byte range.
    const unit = Math.min(4, ...arena.map((b) => DTYPE_BYTES[b.dtype]));
    const slots = Math.ceil(plan.memory.arenaBytes / unit);
    const memory = new ArrayBuffer(Math.max(4, slots * 4));
    const f32 = new Float32Array(memory);
    const i32 = new Int32Array(memory);
    // Garbage, not zeros: a kernel that reads storage nobody wrote must not pass by luck.
    f32.fill(Number.NaN);
    for (const b of plan.buffers) {
      const offset = b.offset;
      if (offset !== undefined) {
        if (offset % unit !== 0) throw new InterpretError(`buffer ${b.name} is at a misaligned offset ${offset}`);
        this.stores.set(b.id, { data: b.dtype === 'int32' ? i32 : f32, base: offset / unit });
      } else if (b.kind === 'constant') {
        this.stores.set(b.id, { data: Float32Array.of(b.value ?? 0), base: 0 });
      } else {
        const n = size(b.shape);
        this.stores.set(b.id, { data: b.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n).fill(Number.NaN), base: 0 });
      }
    }
  }

  buffer(id: number): PlanBuffer {
    return this.plan.buffers[id];
  }

  store(id: number): Store {
    const s = this.stores.get(id);
    if (s === undefined) throw new InterpretError(`no storage for buffer ${id}`);
    return s;
  }

  access(operand: Operand): Access {
    const { data, base } = this.store(operand.buffer);
    const offsets = viewOffsets(operand.view);
    if (offsets.length !== size(operand.shape)) throw new InterpretError(`operand ${operand.role}: view of ${offsets.length} elements for shape [${operand.shape.join(', ')}]`);
    const isInt = data instanceof Int32Array;
    return {
      shape: operand.shape,
      get: (i) => data[base + offsets[i]],
      set: (i, value) => {
        data[base + offsets[i]] = value;
      },
      tensor: () => {
        const out = isInt ? new Int32Array(offsets.length) : new Float32Array(offsets.length);
        for (let i = 0; i < offsets.length; i++) out[i] = data[base + offsets[i]];
        return { shape: operand.shape, data: out };
      },
    };
  }

  /** Writes a whole tensor through an operand's view. */
  write(operand: Operand, t: Tensor): void {
    if (t.shape.join() !== operand.shape.join()) throw new InterpretError(`writing [${t.shape.join(', ')}] into ${operand.role} [${operand.shape.join(', ')}]`);
    const a = this.access(operand);
    for (let i = 0; i < t.data.length; i++) a.set(i, t.data[i]);
  }
}
