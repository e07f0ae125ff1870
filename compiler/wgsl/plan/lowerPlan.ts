/**
 * A plan → a WebGPU program: every `prepare` and forward kernel lowered to generated WGSL (one
 * dispatch per kernel), shaders deduplicated by text, buffers mapped (one arena; weights,
 * prepared tensors and KV caches apart), graph inputs and outputs placed by their operands.
 */
import type { GpuDispatch, GpuProgram } from '../../../runtime/webgpu/program.js';
import type { Plan, PlanKernel } from '../../plan/types.js';
import type { AdapterClass } from '../matmul.js';
import type { KernelSource } from '../types.js';
import { lowerAttention } from './attention.js';
import type { LowerContext, Lowered } from './context.js';
import { lowerConv } from './conv.js';
import { lowerElementwise } from './elementwise.js';
import { lowerEmbedZip } from './embedZip.js';
import { lowerMatmul } from './matmul.js';
import { lowerNorm } from './norm.js';
import { lowerOp } from './op.js';
import { PlanBuffers } from './operands.js';
import { lowerReduce } from './reduce.js';

export function lowerKernel(k: PlanKernel, ctx: LowerContext): Lowered {
  switch (k.kind) {
    case 'matmul':
      return lowerMatmul(k, ctx);
    case 'attention':
      return lowerAttention(k, ctx);
    case 'norm':
      return lowerNorm(k, ctx);
    case 'elementwise':
      return lowerElementwise(k, ctx);
    case 'reduce':
      return lowerReduce(k, ctx);
    case 'conv':
      return lowerConv(k, ctx);
    case 'embed_zip':
      return lowerEmbedZip(k, ctx);
    case 'op':
      return lowerOp(k, ctx);
  }
}

export interface LowerOptions {
  /**
   * Tune kernels for a GPU (default) or for a fallback adapter that runs WebGPU on the CPU
   * (runtime/webgpu's `adapterClass` says which one a device is). Numbers agree either way.
   */
  readonly adapter?: AdapterClass;
  /**
   * The most bytes one storage binding may hold on the device that will run the program (its
   * `maxStorageBufferBindingSize`): a larger activation arena is split into several buffers.
   * Default: no limit — one arena buffer, whatever its size (a program written out as text).
   */
  readonly maxBindingBytes?: number;
}

export function lowerPlanToWebGpu(plan: Plan, options: LowerOptions = {}): GpuProgram {
  const buffers = new PlanBuffers(plan, options.maxBindingBytes);
  const ctx: LowerContext = { plan, buffers, hostSteps: [], adapter: options.adapter ?? 'gpu' };
  const shaders: string[] = [];
  const shaderIndex = new Map<string, number>();
  const dispatch = (s: KernelSource): GpuDispatch => {
    let i = shaderIndex.get(s.wgsl);
    if (i === undefined) {
      i = shaders.push(s.wgsl) - 1;
      shaderIndex.set(s.wgsl, i);
    }
    return { label: s.label, shader: i, workgroups: s.workgroups, bindings: s.bindings, uniforms: s.uniforms };
  };
  const prepare = plan.prepare.flatMap((k) => lowerKernel(k, ctx).map(dispatch));
  const forward = plan.kernels.flatMap((k) => lowerKernel(k, ctx).map(dispatch));
  return {
    format: 'mimo-webgpu',
    version: 1,
    label: `${plan.model} ${plan.mode} b${plan.bindings.batch} s${plan.bindings.seq}`,
    shaders,
    buffers: buffers.specs,
    prepare,
    forward,
    inputs: plan.inputs.map((i) => buffers.io(i.name, i.operand)),
    outputs: plan.outputs.map((o) => buffers.io(o.name, o.operand)),
    hostSteps: ctx.hostSteps,
  };
}
