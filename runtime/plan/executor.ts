/**
 * The tfjs plan executor: runs a `mimo-plan` (the emitted plan.json object, or the planner's
 * in-memory plan) on whichever tfjs backend is active — wasm, cpu, tensorflow (tfjs-node), or
 * webgpu when the WGSL executor is not wanted.
 *
 * Loading (`createPlanExecutor`): weights go into their buffers, the plan's `prepare` kernels run
 * once, then every forward kernel is compiled (kernels/) into a closure over what can be prepared
 * once — transposed weights, packed biases, rotation matrices, filters — and weights that only
 * fed those preparations are freed.
 *
 * A forward writes the inputs through their views, runs the kernels in plan order, each in its own
 * `tf.tidy` (so nothing but its outputs outlives it), frees every buffer right after its last use
 * by the plan's liveness, and reads the outputs. The whole forward runs in one `tf.tidy`; what it
 * returns belongs to the caller.
 */
import { tf } from '../backend/tf.js';
import { PlanFormatError, PlanRunError } from './errors.js';
import { product, viewOffsets } from './layout.js';
import { checkPlan } from './parse.js';
import { BufferTable, type OperandReader, operandReader } from './storage.js';
import { compileAttention } from './kernels/attention.js';
import type { KernelStep, LoadContext, RunContext } from './kernels/context.js';
import { operandKeyOf } from './kernels/context.js';
import { compileConv } from './kernels/conv.js';
import { compileElementwise } from './kernels/elementwise.js';
import { compileEmbedZip } from './kernels/embedZip.js';
import { compileMatmul } from './kernels/matmul.js';
import { compileNorm } from './kernels/norm.js';
import { compileOp } from './kernels/op.js';
import { compileReduce } from './kernels/reduce.js';
import { KERNEL_KINDS, type KernelKind, type Operand, type PlanBuffer, type PlanJson, type PlanKernel } from './types.js';

/** Where weights come from, by checkpoint name: a `Map<string, tf.Tensor | Float32Array>` is one. */
export interface PlanWeightSource {
  get(name: string): tf.Tensor | Float32Array | undefined;
}

/** One graph input: a tensor, or row-major host values of the input's shape. */
export type PlanInputValue = tf.Tensor | Float32Array | Int32Array | readonly number[];

export type PlanInputs = Readonly<Record<string, PlanInputValue>>;

export interface PlanExecutorStats {
  /** Kernels each forward runs (= `plan.kernels.length`). */
  readonly kernels: number;
  /** Load-time kernels run once (= `plan.prepare.length`). */
  readonly prepareKernels: number;
  readonly kernelsByKind: Readonly<Record<KernelKind, number>>;
  /** Bytes of tensors the executor allocated at load and holds (weights it copied in, transposed weights, packed biases, tables). */
  readonly loadBytes: number;
  /** Weight and prepared buffers freed after loading because only load-time preparations read them. */
  readonly freedAtLoad: number;
  /** tfjs backend the executor was loaded on. */
  readonly backend: string;
}

export interface PlanForward {
  /** The plan's outputs by name, at their shapes; the caller owns (and disposes) them. */
  readonly outputs: Readonly<Record<string, tf.Tensor>>;
  /** Kernels run. */
  readonly kernels: number;
  /** Wall time of the forward on the host (tfjs may still be computing on async backends). */
  readonly ms: number;
  /** Most tensor bytes alive at once during the forward beyond those alive before it (tf.memory()). */
  readonly peakBytes: number;
}

export interface PlanExecutor {
  readonly plan: PlanJson;
  readonly stats: PlanExecutorStats;
  /** Runs one forward; int32 inputs given as tensors are read to the host first where a kernel needs them (ids, positions). */
  forward(inputs: PlanInputs): Promise<PlanForward>;
  /** The same, synchronously (reads tensors with `dataSync`; not for webgpu in Node). */
  forwardSync(inputs: PlanInputs): PlanForward;
  /** Frees every tensor the executor holds. */
  dispose(): void;
}

const PERSISTENT_KINDS: ReadonlySet<PlanBuffer['kind']> = new Set(['weight', 'prepared', 'constant']);

const COMPILERS: { readonly [K in KernelKind]: (kernel: Extract<PlanKernel, { kind: K }>, load: LoadContext) => KernelStep } = {
  matmul: compileMatmul,
  conv: compileConv,
  attention: compileAttention,
  norm: (k) => compileNorm(k),
  elementwise: (k) => compileElementwise(k),
  reduce: (k) => compileReduce(k),
  embed_zip: compileEmbedZip,
  op: compileOp,
};

function compileKernel(kernel: PlanKernel, load: LoadContext): KernelStep {
  return (COMPILERS[kernel.kind] as (k: PlanKernel, l: LoadContext) => KernelStep)(kernel, load);
}

interface Compiled {
  readonly kernel: PlanKernel;
  readonly step: KernelStep;
  readonly inputs: readonly OperandReader[];
  /** Inputs from persistent buffers, read once at load time at their logical shapes. */
  readonly pinned: (tf.Tensor | undefined)[];
  readonly outputs: readonly OperandReader[];
}

/** Loads weights, runs the plan's prepare kernels and compiles its forward kernels for the active tfjs backend. */
export function createPlanExecutor(plan: PlanJson, weights: PlanWeightSource): PlanExecutor {
  checkPlan(plan);
  return new TfjsPlanExecutor(plan, weights);
}

class TfjsPlanExecutor implements PlanExecutor {
  readonly stats: PlanExecutorStats;
  private readonly table: BufferTable;
  private readonly owned: tf.Tensor[] = [];
  private readonly protectedIds = new Set<number>();
  private readonly readers = new Map<Operand, OperandReader>();
  private readonly steps: Compiled[];
  private readonly releaseAfter: number[][];
  private readonly transient: number[];
  private readonly hostBuffers = new Set<number>();
  private readonly hostOffsets = new Map<Operand, Int32Array>();
  private disposed = false;

  constructor(
    readonly plan: PlanJson,
    weights: PlanWeightSource,
  ) {
    const before = tf.memory().numBytes;
    this.table = new BufferTable(plan.buffers);
    try {
      this.loadWeights(weights);
      const taken = new Map<number, number>();
      const memo = new Map<string, tf.Tensor | readonly tf.Tensor[]>();
      for (const kernel of plan.prepare) this.runStep(this.compile(kernel, taken), memo);
      for (const v of memo.values()) tf.dispose(v as tf.Tensor | tf.Tensor[]);
      taken.clear();
      this.steps = plan.kernels.map((k) => this.compile(k, taken));
      const freed = this.freeTakenWeights(taken);
      for (const compiled of this.steps) this.pin(compiled);
      this.releaseAfter = this.liveness();
      this.transient = plan.buffers.filter((b) => !PERSISTENT_KINDS.has(b.kind)).map((b) => b.id);
      const kernelsByKind = Object.fromEntries(KERNEL_KINDS.map((kind) => [kind, plan.kernels.filter((k) => k.kind === kind).length])) as Record<KernelKind, number>;
      this.stats = {
        kernels: plan.kernels.length,
        prepareKernels: plan.prepare.length,
        kernelsByKind,
        loadBytes: tf.memory().numBytes - before,
        freedAtLoad: freed,
        backend: tf.getBackend(),
      };
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  async forward(inputs: PlanInputs): Promise<PlanForward> {
    const host = new Map<number, Int32Array>();
    for (const input of this.plan.inputs) {
      if (!this.hostBuffers.has(input.operand.buffer)) continue;
      const value = this.inputValue(inputs, input.name);
      host.set(input.operand.buffer, this.hostStorage(input.operand, value instanceof tf.Tensor ? Int32Array.from(await value.data()) : value));
    }
    return this.execute(inputs, host);
  }

  forwardSync(inputs: PlanInputs): PlanForward {
    const host = new Map<number, Int32Array>();
    for (const input of this.plan.inputs) {
      if (!this.hostBuffers.has(input.operand.buffer)) continue;
      const value = this.inputValue(inputs, input.name);
      host.set(input.operand.buffer, this.hostStorage(input.operand, value instanceof tf.Tensor ? Int32Array.from(value.dataSync()) : value));
    }
    return this.execute(inputs, host);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.table.releaseAll();
    for (const t of this.owned) t.dispose();
    this.owned.length = 0;
  }

  // ---- loading ---------------------------------------------------------------------------------

  private loadWeights(weights: PlanWeightSource): void {
    for (const b of this.plan.buffers) {
      if (b.kind === 'constant') {
        this.table.set(b.id, tf.tidy(() => tf.reshape(tf.scalar(b.value ?? 0, b.dtype === 'int32' ? 'int32' : 'float32'), [...b.shape])));
        continue;
      }
      if (b.kind !== 'weight') continue;
      const name = b.weight ?? b.name;
      const given = weights.get(name);
      const n = product(b.shape);
      if (given === undefined) throw new PlanRunError(`weight \`${name}\` (shape [${b.shape.join(', ')}]) is missing`, 'load a checkpoint with every weight of the model manifest (or seeded random weights: `initWeights`)');
      const size = given instanceof tf.Tensor ? given.size : given.length;
      if (size !== n) {
        const shape = given instanceof tf.Tensor ? `[${given.shape.join(', ')}]` : `${given.length} values`;
        throw new PlanRunError(`weight \`${name}\` is ${shape}, the plan needs [${b.shape.join(', ')}]`, "the checkpoint does not match this model's configuration");
      }
      this.table.set(b.id, given instanceof tf.Tensor ? tf.tidy(() => tf.reshape(tf.cast(given, 'float32'), [...b.shape])) : tf.tensor(given, [...b.shape], 'float32'));
    }
  }

  private reader(operand: Operand): OperandReader {
    let r = this.readers.get(operand);
    if (r === undefined) {
      const buffer = this.plan.buffers[operand.buffer];
      if (buffer === undefined) throw new PlanFormatError(`an operand names buffer ${operand.buffer}, which the plan does not have`, 're-emit the plan');
      r = operandReader(operand, product(buffer.shape), (recipe) => (recipe.kind === 'gather' ? this.own(tf.tensor1d(recipe.offsets, 'int32')) : undefined));
      this.readers.set(operand, r);
    }
    return r;
  }

  private own<T extends tf.Tensor>(t: T): T {
    tf.keep(t);
    this.owned.push(t);
    this.protectedIds.add(t.id);
    return t;
  }

  private compile(kernel: PlanKernel, taken: Map<number, number>): Compiled {
    const inputs = kernel.inputs.map((o) => this.reader(o));
    const outputs = kernel.outputs.map((o) => this.reader(o));
    const load: LoadContext = {
      isPersistent: (i) => PERSISTENT_KINDS.has(this.plan.buffers[kernel.inputs[i].buffer].kind),
      take: (i) => {
        const b = kernel.inputs[i].buffer;
        taken.set(b, (taken.get(b) ?? 0) + 1);
        // A handle of its own: the buffer may be freed once every reader has taken it.
        const t = this.table.read(inputs[i]);
        return this.table.holds(t) ? newHandle(t) : t;
      },
      own: (t) => this.own(t),
      needsHost: (i) => {
        const b = this.plan.buffers[kernel.inputs[i].buffer];
        if (b.kind === 'input') this.hostBuffers.add(b.id);
      },
    };
    let step: KernelStep;
    try {
      step = compileKernel(kernel, load);
    } catch (error) {
      if (error instanceof PlanFormatError || error instanceof PlanRunError) throw error;
      throw new PlanFormatError(`kernel ${kernel.id} (\`${kernel.label}\`) cannot be prepared for tfjs: ${error instanceof Error ? error.message : String(error)}`, 're-emit the plan with this version of mimo');
    }
    return { kernel, step, inputs, outputs, pinned: kernel.inputs.map(() => undefined) };
  }

  /** Reads every persistent input a forward step may still read, once (the weights they view stay in their buffers). */
  private pin(compiled: Compiled): void {
    compiled.kernel.inputs.forEach((o, i) => {
      const b = this.plan.buffers[o.buffer];
      if (!PERSISTENT_KINDS.has(b.kind) || !this.table.has(b.id)) return;
      compiled.pinned[i] = this.own(tf.tidy(() => {
        const t = this.table.read(compiled.inputs[i]);
        return this.table.holds(t) ? newHandle(t) : t;
      }));
    });
  }

  /** Frees persistent buffers that every forward reference `take`s at load time (weights now living transposed or packed). */
  private freeTakenWeights(taken: ReadonlyMap<number, number>): number {
    const references = new Map<number, number>();
    for (const k of this.plan.kernels) for (const o of k.inputs) references.set(o.buffer, (references.get(o.buffer) ?? 0) + 1);
    let freed = 0;
    for (const b of this.plan.buffers) {
      if (!PERSISTENT_KINDS.has(b.kind) || b.kind === 'constant') continue;
      const refs = references.get(b.id) ?? 0;
      if (refs === 0 || taken.get(b.id) === refs) {
        this.table.release(b.id);
        freed++;
      }
    }
    return freed;
  }

  /** After which kernel each transient buffer dies, from the plan's `live` ranges (checked against the kernels' operands). */
  private liveness(): number[][] {
    const last = this.plan.kernels.length - 1;
    const after: number[][] = this.plan.kernels.map(() => []);
    const used = new Map<number, [number, number]>();
    this.plan.kernels.forEach((k, i) => {
      for (const o of [...k.inputs, ...k.outputs]) {
        const u = used.get(o.buffer);
        used.set(o.buffer, u === undefined ? [i, i] : [Math.min(u[0], i), Math.max(u[1], i)]);
      }
    });
    for (const b of this.plan.buffers) {
      if (PERSISTENT_KINDS.has(b.kind) || b.kind === 'output' || b.kind === 'kv_cache') continue;
      if (this.plan.outputs.some((o) => o.operand.buffer === b.id)) continue;
      const u = used.get(b.id);
      let end = u?.[1] ?? -1;
      if (b.live !== undefined) {
        if (u !== undefined && (u[1] > b.live[1] || u[0] < b.live[0])) {
          throw new PlanFormatError(
            `buffer \`${b.name}\` is live over kernels [${b.live[0]}, ${b.live[1]}] but kernels ${u[0]}..${u[1]} use it`,
            "the plan's memory plan is inconsistent with its kernels; re-emit it",
          );
        }
        end = b.live[1];
      }
      if (end >= 0 && end <= last) after[end].push(b.id);
    }
    return after;
  }

  // ---- running ---------------------------------------------------------------------------------

  private inputValue(inputs: PlanInputs, name: string): PlanInputValue {
    const value = inputs[name];
    if (value === undefined) {
      const names = this.plan.inputs.map((i) => `\`${i.name}\``).join(', ');
      throw new PlanRunError(`no value for the plan input \`${name}\``, `pass every input the plan lists: ${names}`);
    }
    return value;
  }

  /** The input buffer's row-major host contents from the values of its operand. */
  private hostStorage(operand: Operand, values: Float32Array | Int32Array | readonly number[]): Int32Array {
    const buffer = this.plan.buffers[operand.buffer];
    const storage = new Int32Array(product(buffer.shape));
    const offsets = viewOffsets(operand.view);
    if (values.length !== offsets.length) throw this.sizeError(operand, values.length);
    for (let i = 0; i < offsets.length; i++) storage[offsets[i]] = values[i];
    return storage;
  }

  private sizeError(operand: Operand, got: number | readonly number[]): PlanRunError {
    const name = this.plan.inputs.find((i) => i.operand === operand)?.name ?? this.plan.buffers[operand.buffer].name;
    const what = typeof got === 'number' ? `${got} values` : `shape [${got.join(', ')}]`;
    return new PlanRunError(`input \`${name}\` has ${what}; the plan was built for [${operand.shape.join(', ')}]`, 'build the plan for these sizes (batch, text tokens) or pass inputs of the planned shape');
  }

  private execute(inputs: PlanInputs, host: ReadonlyMap<number, Int32Array>): PlanForward {
    if (this.disposed) throw new PlanRunError('the executor was disposed', 'create a new executor');
    const start = performance.now();
    const before = tf.memory().numBytes;
    let peak = before;
    let ran = 0;
    const memo = new Map<string, tf.Tensor | readonly tf.Tensor[]>();
    try {
      const outputs = tf.tidy(() => {
        for (const input of this.plan.inputs) {
          const value = this.inputValue(inputs, input.name);
          const operand = input.operand;
          const dtype = this.plan.buffers[operand.buffer].dtype === 'int32' ? 'int32' : 'float32';
          tf.tidy(() => {
            let t: tf.Tensor;
            if (value instanceof tf.Tensor) {
              if (value.size !== product(operand.shape)) throw this.sizeError(operand, value.shape);
              t = tf.reshape(value.dtype === dtype ? value : tf.cast(value, dtype), [...operand.shape]);
            } else {
              if (value.length !== product(operand.shape)) throw this.sizeError(operand, value.length);
              t = tf.tensor(value as Float32Array, [...operand.shape], dtype);
            }
            this.table.write(this.reader(operand), t);
          });
        }
        this.steps.forEach((compiled, i) => {
          this.runStep(compiled, memo, host);
          ran++;
          peak = Math.max(peak, tf.memory().numBytes);
          for (const b of this.releaseAfter[i]) this.table.release(b);
        });
        const result: Record<string, tf.Tensor> = {};
        for (const o of this.plan.outputs) {
          const t = this.table.read(this.reader(o.operand));
          result[o.name] = this.table.holds(t) || this.protectedIds.has(t.id) ? newHandle(t) : t;
        }
        return result;
      });
      return { outputs, kernels: ran, ms: performance.now() - start, peakBytes: peak - before };
    } finally {
      for (const b of this.transient) this.table.release(b);
      for (const v of memo.values()) tf.dispose(v as tf.Tensor | tf.Tensor[]);
    }
  }

  private runStep(compiled: Compiled, memo: Map<string, tf.Tensor | readonly tf.Tensor[]>, host: ReadonlyMap<number, Int32Array> = new Map()): void {
    const { kernel, step, inputs, outputs } = compiled;
    const ctx: RunContext = {
      read: (i, perm, shape) => {
        const pinned = compiled.pinned[i];
        if (pinned === undefined) return this.table.read(inputs[i], perm, shape);
        const x = perm === undefined ? pinned : tf.transpose(pinned, [...perm]);
        return shape === undefined || x.shape.join() === shape.join() ? x : tf.reshape(x, [...shape]);
      },
      hostInts: (i) => {
        const operand = kernel.inputs[i];
        const storage = host.get(operand.buffer);
        if (storage === undefined) return Int32Array.from(this.table.read(inputs[i]).dataSync());
        let offsets = this.hostOffsets.get(operand);
        if (offsets === undefined) {
          offsets = viewOffsets(operand.view);
          this.hostOffsets.set(operand, offsets);
        }
        const out = new Int32Array(offsets.length);
        for (let e = 0; e < offsets.length; e++) out[e] = storage[offsets[e]];
        return out;
      },
      memo: <T extends tf.Tensor | readonly tf.Tensor[]>(key: string, make: () => T): T => {
        let v = memo.get(key);
        if (v === undefined) {
          v = make();
          for (const t of Array.isArray(v) ? v : [v]) {
            tf.keep(t);
            this.protectedIds.add((t as tf.Tensor).id);
          }
          memo.set(key, v);
        }
        return v as T;
      },
      operandKey: (i) => operandKeyOf(kernel.inputs[i]),
    };
    tf.tidy(() => {
      const writes = step(ctx);
      for (const w of writes) {
        // A step may hand back a tensor someone else holds (an owned constant, a memo): write a new handle.
        const tensor = this.protectedIds.has(w.tensor.id) || this.table.holds(w.tensor) ? newHandle(w.tensor) : w.tensor;
        this.table.write(outputs[w.output], tensor, w.layout);
      }
    });
  }
}

/**
 * A second handle on a tensor's data (tfjs counts references per data buffer, so either handle
 * may be disposed first). Not `tf.clone`: tfjs-wasm's Identity copies the data, which held every
 * weight a forward reads directly (embedding tables, norms, biases) twice.
 */
function newHandle(t: tf.Tensor): tf.Tensor {
  return tf.reshape(t, t.shape);
}
