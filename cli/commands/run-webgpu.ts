/**
 * The WebGPU plan runner for `mimo run --plan --backend webgpu`: the plan lowered to generated WGSL
 * (compiler/wgsl) and executed by runtime/webgpu in one command stream from one arena, on the device
 * tfjs-webgpu already opened (so the logits can be handed back as a tfjs tensor). Imported lazily
 * by run.ts, only on that path.
 */
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import type { tf as TfNamespace } from '../../runtime/index.js';
import type { PlanRunner } from './run.js';

type Tf = typeof TfNamespace;

export function webGpuPlanRunner(tf: Tf): PlanRunner {
  return {
    backend: 'webgpu',
    name: 'WebGPU plan executor (generated WGSL)',
    create: async (plan, weights) => {
      const gpuRt = await import('../../runtime/webgpu/index.js');
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      const gpu = await gpuRt.acquireGpu({ device });
      const executor = await gpuRt.WebGpuExecutor.create(gpu, lowerPlanToWebGpu(plan, { adapter: gpuRt.adapterClass(gpu.adapter), maxBindingBytes: device.limits.maxStorageBufferBindingSize }), weights);
      const logitsShape = plan.outputs.find((o) => o.name === 'logits')?.operand.shape;
      if (logitsShape === undefined) throw new Error('the plan has no `logits` output');
      return {
        forward: async (inputs) => {
          const host: Record<string, Float32Array | Int32Array> = {};
          for (const [name, value] of Object.entries(inputs)) {
            host[name] = value instanceof Float32Array || value instanceof Int32Array ? value : await (value as TfNamespace.Tensor).data() as Float32Array | Int32Array;
          }
          const result = await executor.forward(host);
          const logits = result.outputs.logits;
          if (logits === undefined) throw new Error('the WebGPU executor returned no `logits`');
          return { logits: tf.tensor(logits, [...logitsShape]), kernels: result.dispatches, peakBytes: executor.stats.bytes.total };
        },
        dispose: () => executor.destroy(),
      };
    },
  };
}
