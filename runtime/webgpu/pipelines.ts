/// <reference types="@webgpu/types" />
/**
 * Compute pipelines cached by WGSL text: a shader is compiled once per device however many
 * dispatches (layers) use it. Binding layouts are explicit (storage buffers then one uniform), so
 * bind groups made for one dispatch fit every pipeline with the same binding pattern.
 */
import type { GpuBinding } from './program.js';

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

export class ShaderCompileError extends Error {
  constructor(label: string, message: string, readonly wgsl: string) {
    super(`WGSL kernel '${label}' failed to compile: ${message}`);
    this.name = 'ShaderCompileError';
  }
}

export class PipelineCache {
  private readonly entries = new Map<string, Promise<CachedPipeline>>();
  /** Pipelines compiled and lookups answered from the cache. */
  compiled = 0;
  hits = 0;

  constructor(private readonly device: GPUDevice) {}

  get(wgsl: string, bindings: readonly GpuBinding[], label: string): Promise<CachedPipeline> {
    const key = `${bindings.map((b) => (b.access === 'read' ? 'r' : 'w')).join('')}\n${wgsl}`;
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.hits++;
      return found;
    }
    this.compiled++;
    const made = this.create(wgsl, bindings, label);
    this.entries.set(key, made);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }

  private async create(wgsl: string, bindings: readonly GpuBinding[], label: string): Promise<CachedPipeline> {
    const device = this.device;
    // Push and pop synchronously around the creating calls: scopes are a per-device stack, and
    // several pipelines compile concurrently.
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: wgsl, label });
    const entries: GPUBindGroupLayoutEntry[] = bindings.map((b, i) => ({
      binding: i,
      visibility: 0x4 /* GPUShaderStage.COMPUTE */,
      buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
    }));
    entries.push({ binding: bindings.length, visibility: 0x4, buffer: { type: 'uniform' } });
    const layout = device.createBindGroupLayout({ entries, label });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout], label });
    const scope = device.popErrorScope();
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      await scope;
      const lines = wgsl.split('\n');
      const text = errors.map((m) => `${m.lineNum}:${m.linePos}: ${m.message}\n    ${lines[m.lineNum - 1] ?? ''}`).join('\n');
      throw new ShaderCompileError(label, text, wgsl);
    }
    const error = await scope;
    if (error !== null) throw new ShaderCompileError(label, error.message, wgsl);
    try {
      const pipeline = await device.createComputePipelineAsync({ label, layout: pipelineLayout, compute: { module, entryPoint: 'main' } });
      return { pipeline, layout };
    } catch (e) {
      throw new ShaderCompileError(label, e instanceof Error ? e.message : String(e), wgsl);
    }
  }
}
