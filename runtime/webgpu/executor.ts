/// <reference types="@webgpu/types" />
/**
 * Runs a `GpuProgram` on one device.
 *
 * Storage: one GPU buffer per program buffer — the whole activation arena is ONE buffer bound
 * whole (`array<u32>`), and kernels address operands by element offsets passed as uniforms, so
 * planned offsets never have to meet `minStorageBufferOffsetAlignment` and one binding serves
 * every operand in the arena. Weights, prepared tensors and KV caches are separate buffers.
 * Every dispatch's uniform block sits in one uniform buffer at 256-byte-aligned offsets; bind
 * groups and pipelines (cached by WGSL text) are made once at creation. A forward writes its
 * inputs with `queue.writeBuffer`, then records every dispatch in one compute pass of one command
 * encoder, copies the outputs to one staging buffer, and submits once.
 */
import type { GpuContext } from './device.js';
import { PipelineCache } from './pipelines.js';
import type { GpuBufferSpec, GpuDispatch, GpuProgram, GpuTensorIo } from './program.js';
import { GPU_PROGRAM_FORMAT, GPU_PROGRAM_VERSION } from './program.js';
import { contiguousRuns, elementCount, viewElementOffsets, viewRange } from './tensorIo.js';
import { buildZipRoutes } from './zipRoutes.js';

// WebGPU enum values, so nothing depends on browser globals.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80, QUERY_RESOLVE: 0x200 } as const;
const MAP_READ = 0x1;
const UNIFORM_ALIGN = 256;
const NAN_WORD = 0x7fc00000;

export type HostTensor = Float32Array | Int32Array;

/** Where weights come from: a `Map<string, Float32Array>` is one. */
export interface GpuWeightSource {
  get(name: string): Float32Array | undefined;
}

export interface ExecutorOptions {
  /** Share compiled pipelines with other executors on the same device. */
  readonly pipelines?: PipelineCache;
  /**
   * The outputs each forward copies back to the host (default: all). The others stay on the
   * device — a decode step's `present_*` KV caches, which the next step reads there — and
   * `read()` fetches one on demand; the staging buffer is sized for these alone.
   */
  readonly readOutputs?: readonly string[];
  /**
   * Fill state buffers with NaN at creation (before `prepare`) and the arena before every
   * forward: a kernel that reads storage nobody wrote then yields NaN instead of passing by luck.
   */
  readonly poison?: boolean;
}

export interface ExecutorBytes {
  readonly arena: number;
  /** Weight buffers resident while forwards run (those only `prepare` reads are freed after it). */
  readonly weights: number;
  /** Weight buffers only `prepare` reads (e.g. q/k/v before packing), destroyed once it has run. */
  readonly freedAfterPrepare: number;
  /** Everything allocated at once during loading, before those are freed. */
  readonly loadPeak: number;
  readonly state: number;
  readonly constants: number;
  readonly uniforms: number;
  readonly staging: number;
  readonly total: number;
}

export interface ExecutorStats {
  readonly dispatchesPerForward: number;
  readonly prepareDispatches: number;
  readonly shaders: number;
  readonly pipelinesCompiled: number;
  readonly pipelineCacheHits: number;
  readonly bytes: ExecutorBytes;
  readonly forwards: number;
}

export interface ForwardResult {
  /** Outputs by name, row-major: those `readOutputs` names (all by default); none when `readback` is false. */
  readonly outputs: Readonly<Record<string, HostTensor>>;
  /** Wall time from the first input write to the outputs on the host (or the queue idle). */
  readonly ms: number;
  /** Device time of the compute pass, when the device has timestamp queries. */
  readonly gpuMs?: number;
  readonly dispatches: number;
  readonly submits: number;
}

export class GpuProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuProgramError';
  }
}

interface Step {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: readonly [number, number, number];
}

interface OutputCopy {
  readonly io: GpuTensorIo;
  readonly first: number;
  readonly words: number;
  readonly stagingOffset: number;
}

export class WebGpuExecutor {
  private forwards = 0;
  private constructor(
    private readonly ctx: GpuContext,
    readonly program: GpuProgram,
    private readonly buffers: readonly GPUBuffer[],
    private readonly uniformBuffer: GPUBuffer,
    private readonly prepareSteps: readonly Step[],
    private readonly forwardSteps: readonly Step[],
    private readonly outputCopies: readonly OutputCopy[],
    private readonly staging: GPUBuffer | null,
    private readonly timer: { querySet: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | null,
    private readonly pipelines: PipelineCache,
    private readonly bytes: ExecutorBytes,
    private readonly options: ExecutorOptions,
  ) {}

  /** Validates the program, creates every buffer, uploads weights and constants, compiles, runs `prepare`. */
  static async create(ctx: GpuContext, program: GpuProgram, weights: GpuWeightSource, options: ExecutorOptions = {}): Promise<WebGpuExecutor> {
    validateProgram(program, ctx.device);
    const wanted = options.readOutputs;
    for (const name of wanted ?? []) {
      if (!program.outputs.some((io) => io.name === name)) throw new GpuProgramError(`readOutputs names '${name}', which is not an output of this program (it has ${program.outputs.map((io) => `'${io.name}'`).join(', ')})`);
    }
    const device = ctx.device;
    const pipelines = options.pipelines ?? new PipelineCache(device);
    const sizes = { arena: 0, weights: 0, state: 0, constants: 0 };
    const buffers = program.buffers.map((spec) => {
      const size = roundUp(Math.max(spec.bytes, 16), 16);
      const buffer = device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC, label: spec.name });
      sizes[spec.kind === 'weight' ? 'weights' : spec.kind === 'constant' ? 'constants' : spec.kind] += size;
      uploadInitial(device, buffer, spec, weights, options.poison === true);
      return buffer;
    });
    const all = [...program.prepare, ...program.forward];
    const uniformBytes = Math.max(UNIFORM_ALIGN, all.length * UNIFORM_ALIGN);
    const uniformBuffer = device.createBuffer({ size: uniformBytes, usage: USAGE.UNIFORM | USAGE.COPY_DST, label: 'uniforms' });
    const words = new Uint32Array(uniformBytes / 4);
    all.forEach((d, i) => words.set(d.uniforms, (i * UNIFORM_ALIGN) / 4));
    device.queue.writeBuffer(uniformBuffer, 0, words);
    const compiled = await Promise.all(all.map((d) => pipelines.get(program.shaders[d.shader], d.bindings, d.label)));
    const steps = all.map((d, i): Step => {
      const entries: GPUBindGroupEntry[] = d.bindings.map((b, slot) => ({ binding: slot, resource: { buffer: buffers[b.buffer] } }));
      entries.push({ binding: d.bindings.length, resource: { buffer: uniformBuffer, offset: i * UNIFORM_ALIGN, size: Math.max(16, d.uniforms.length * 4) } });
      const bindGroup = device.createBindGroup({ layout: compiled[i].layout, entries, label: d.label });
      return { label: d.label, pipeline: compiled[i].pipeline, bindGroup, workgroups: d.workgroups };
    });
    let stagingWords = 0;
    const copied = wanted === undefined ? program.outputs : program.outputs.filter((io) => wanted.includes(io.name));
    const outputCopies = copied.map((io): OutputCopy => {
      const [first, end] = viewRange(io.view);
      const copy = { io, first, words: end - first, stagingOffset: stagingWords };
      stagingWords += end - first;
      return copy;
    });
    const stagingBytes = roundUp(Math.max(16, stagingWords * 4), 16);
    const staging = outputCopies.length > 0 ? device.createBuffer({ size: stagingBytes, usage: USAGE.MAP_READ | USAGE.COPY_DST, label: 'outputs' }) : null;
    const timer = ctx.timestamps
      ? {
          querySet: device.createQuerySet({ type: 'timestamp', count: 2 }),
          resolve: device.createBuffer({ size: 16, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC }),
          read: device.createBuffer({ size: 16, usage: USAGE.MAP_READ | USAGE.COPY_DST }),
        }
      : null;
    // Weights that no forward dispatch binds (the originals of packed or pre-transposed copies) are
    // needed only by `prepare`: free them once it has run, so a forward holds one copy of each.
    const forwardBuffers = new Set(program.forward.flatMap((d) => d.bindings.map((b) => b.buffer)));
    const prepareOnly = program.buffers.flatMap((spec, i) => (spec.kind === 'weight' && !forwardBuffers.has(i) ? [i] : []));
    const freedAfterPrepare = prepareOnly.reduce((sum, i) => sum + buffers[i].size, 0);
    const loadPeak = sizes.arena + sizes.weights + sizes.state + sizes.constants + uniformBytes + (staging === null ? 0 : stagingBytes);
    const bytes: ExecutorBytes = {
      ...sizes,
      weights: sizes.weights - freedAfterPrepare,
      freedAfterPrepare,
      loadPeak,
      uniforms: uniformBytes,
      staging: staging === null ? 0 : stagingBytes,
      total: loadPeak - freedAfterPrepare,
    };
    const prepareSteps = steps.slice(0, program.prepare.length);
    const forwardSteps = steps.slice(program.prepare.length);
    const executor = new WebGpuExecutor(ctx, program, buffers, uniformBuffer, prepareSteps, forwardSteps, outputCopies, staging, timer, pipelines, bytes, options);
    if (prepareSteps.length > 0) await executor.submitChecked(prepareSteps, false);
    for (const i of prepareOnly) buffers[i].destroy();
    return executor;
  }

  get stats(): ExecutorStats {
    return {
      dispatchesPerForward: this.forwardSteps.length,
      prepareDispatches: this.prepareSteps.length,
      shaders: this.program.shaders.length,
      pipelinesCompiled: this.pipelines.compiled,
      pipelineCacheHits: this.pipelines.hits,
      bytes: this.bytes,
      forwards: this.forwards,
    };
  }

  /** One forward: inputs by name (row-major, Float32Array for f32 and Int32Array for i32). */
  async forward(inputs: Readonly<Record<string, HostTensor>>, options: { readback?: boolean } = {}): Promise<ForwardResult> {
    const readback = options.readback ?? true;
    const device = this.ctx.device;
    const start = performance.now();
    if (this.options.poison === true) this.poisonWritable();
    for (const io of this.program.inputs) {
      const data = inputs[io.name];
      if (data === undefined) throw new GpuProgramError(`missing input '${io.name}' ([${io.shape.join(', ')}] ${io.dtype})`);
      this.writeTensor(io, data);
    }
    for (const step of this.program.hostSteps) {
      const ids = inputs[step.ids];
      const io = this.program.inputs.find((i) => i.name === step.ids);
      if (!(ids instanceof Int32Array) || io === undefined) throw new GpuProgramError(`the zipper needs int32 input '${step.ids}'`);
      const [batch, seq] = io.shape;
      this.writeTensor(step.target, buildZipRoutes(step, ids, batch, seq));
    }
    const gpuMs = await this.submitChecked(this.forwardSteps, readback);
    const outputs: Record<string, HostTensor> = {};
    if (readback && this.staging !== null) {
      await this.staging.mapAsync(MAP_READ);
      const words = new Uint32Array(this.staging.getMappedRange().slice(0));
      this.staging.unmap();
      for (const copy of this.outputCopies) outputs[copy.io.name] = gather(copy, words);
    } else {
      await device.queue.onSubmittedWorkDone();
    }
    const ms = performance.now() - start;
    this.forwards++;
    const timed = gpuMs === undefined ? undefined : await gpuMs;
    return { outputs, ms, ...(timed === undefined ? {} : { gpuMs: timed }), dispatches: this.forwardSteps.length, submits: 1 };
  }

  /** Reads a program buffer's tensor after a forward (debugging, tests). */
  async read(io: GpuTensorIo): Promise<HostTensor> {
    const device = this.ctx.device;
    const [first, end] = viewRange(io.view);
    const size = roundUp(Math.max(16, (end - first) * 4), 16);
    const read = device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.buffers[io.buffer], first * 4, read, 0, (end - first) * 4);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(MAP_READ);
    const words = new Uint32Array(read.getMappedRange().slice(0));
    read.destroy();
    return gather({ io, first, words: end - first, stagingOffset: 0 }, words);
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.uniformBuffer.destroy();
    this.staging?.destroy();
    if (this.timer !== null) {
      this.timer.querySet.destroy();
      this.timer.resolve.destroy();
      this.timer.read.destroy();
    }
  }

  private writeTensor(io: GpuTensorIo, data: HostTensor): void {
    const want = io.dtype === 'i32' ? Int32Array : Float32Array;
    if (!(data instanceof want)) throw new GpuProgramError(`input '${io.name}' must be a ${want.name} (${io.dtype})`);
    const n = elementCount(io.shape);
    if (data.length !== n) throw new GpuProgramError(`input '${io.name}' has ${data.length} elements, expected ${n} ([${io.shape.join(', ')}])`);
    const buffer = this.buffers[io.buffer];
    let pos = 0;
    for (const [start, length] of contiguousRuns(io.view)) {
      this.ctx.device.queue.writeBuffer(buffer, start * 4, data.buffer, data.byteOffset + pos * 4, length * 4);
      pos += length;
    }
  }

  private poisonWritable(): void {
    this.program.buffers.forEach((spec, i) => {
      if (spec.kind === 'arena') {
        this.ctx.device.queue.writeBuffer(this.buffers[i], 0, new Uint32Array(this.buffers[i].size / 4).fill(NAN_WORD));
      }
    });
  }

  /** Records the steps in one pass of one encoder (plus output copies), submits once, and surfaces validation errors. */
  private async submitChecked(steps: readonly Step[], copyOutputs: boolean): Promise<Promise<number> | undefined> {
    const device = this.ctx.device;
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    const timer = copyOutputs ? this.timer : null;
    const pass = encoder.beginComputePass(timer === null ? {} : { timestampWrites: { querySet: timer.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
    for (const s of steps) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.bindGroup);
      pass.dispatchWorkgroups(s.workgroups[0], s.workgroups[1], s.workgroups[2]);
    }
    pass.end();
    if (copyOutputs && this.staging !== null) {
      for (const c of this.outputCopies) encoder.copyBufferToBuffer(this.buffers[c.io.buffer], c.first * 4, this.staging, c.stagingOffset * 4, c.words * 4);
    }
    if (timer !== null) {
      encoder.resolveQuerySet(timer.querySet, 0, 2, timer.resolve, 0);
      encoder.copyBufferToBuffer(timer.resolve, 0, timer.read, 0, 16);
    }
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error !== null) throw new GpuProgramError(`WebGPU rejected the command stream: ${error.message}`);
    if (timer === null) return undefined;
    return (async () => {
      await timer.read.mapAsync(MAP_READ);
      const t = new BigUint64Array(timer.read.getMappedRange().slice(0));
      timer.read.unmap();
      return Number(t[1] - t[0]) / 1e6;
    })();
  }
}

function gather(copy: OutputCopy, words: Uint32Array): HostTensor {
  const offsets = viewElementOffsets(copy.io.view);
  const out = new Uint32Array(offsets.length);
  const base = copy.stagingOffset - copy.first;
  for (let i = 0; i < offsets.length; i++) out[i] = words[base + offsets[i]];
  return copy.io.dtype === 'i32' ? new Int32Array(out.buffer) : new Float32Array(out.buffer);
}

function uploadInitial(device: GPUDevice, buffer: GPUBuffer, spec: GpuBufferSpec, weights: GpuWeightSource, poison: boolean): void {
  if (spec.kind === 'weight') {
    const data = weights.get(spec.weight);
    if (data === undefined) throw new GpuProgramError(`missing weight '${spec.weight}' ([${spec.shape.join(', ')}])`);
    if (data.length * 4 !== spec.bytes) {
      throw new GpuProgramError(`weight '${spec.weight}' has ${data.length} elements, expected ${spec.bytes / 4} ([${spec.shape.join(', ')}])`);
    }
    device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  } else if (spec.kind === 'constant') {
    device.queue.writeBuffer(buffer, 0, Uint32Array.from(spec.words));
  } else if (poison) {
    device.queue.writeBuffer(buffer, 0, new Uint32Array(buffer.size / 4).fill(NAN_WORD));
  }
}

function validateProgram(program: GpuProgram, device: GPUDevice): void {
  if (program.format !== GPU_PROGRAM_FORMAT || program.version !== GPU_PROGRAM_VERSION) {
    throw new GpuProgramError(`not a ${GPU_PROGRAM_FORMAT} v${GPU_PROGRAM_VERSION} program (got ${String(program.format)} v${String(program.version)})`);
  }
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const maxStorage = device.limits.maxStorageBuffersPerShaderStage;
  program.buffers.forEach((b) => {
    if (b.bytes > maxBinding) {
      throw new GpuProgramError(`buffer '${b.name}' needs ${b.bytes} bytes but this device binds at most ${maxBinding} bytes per storage buffer`);
    }
  });
  const check = (d: GpuDispatch): void => {
    if (program.shaders[d.shader] === undefined) throw new GpuProgramError(`dispatch '${d.label}' names shader ${d.shader}, which does not exist`);
    if (d.bindings.length > maxStorage) {
      throw new GpuProgramError(`dispatch '${d.label}' binds ${d.bindings.length} storage buffers; this device allows ${maxStorage}`);
    }
    if (d.uniforms.length % 4 !== 0 || d.uniforms.length * 4 > UNIFORM_ALIGN) throw new GpuProgramError(`dispatch '${d.label}' has ${d.uniforms.length} uniform words (want a multiple of 4, at most 64)`);
    for (const b of d.bindings) if (program.buffers[b.buffer] === undefined) throw new GpuProgramError(`dispatch '${d.label}' binds buffer ${b.buffer}, which does not exist`);
  };
  program.prepare.forEach(check);
  program.forward.forEach(check);
  for (const io of [...program.inputs, ...program.outputs]) {
    const spec = program.buffers[io.buffer];
    if (spec === undefined) throw new GpuProgramError(`tensor '${io.name}' lives in buffer ${io.buffer}, which does not exist`);
    const [, end] = viewRange(io.view);
    if (end * 4 > spec.bytes) throw new GpuProgramError(`tensor '${io.name}' reaches byte ${end * 4} of buffer '${spec.name}' (${spec.bytes} bytes)`);
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
