/// <reference types="@webgpu/types" />
/**
 * The browser side of the headless-Chromium test, bundled by esbuild at test time. It gets a
 * compiled GpuProgram, its weights and one forward's inputs from the test's HTTP server and runs
 * them with the real runtime/webgpu (`acquireGpu` → the page's `navigator.gpu`, `WebGpuExecutor`).
 * Nothing is compiled here: the page proves the *runtime* runs in a browser.
 */
import { acquireGpu, WebGpuExecutor, type GpuAdapterDescription, type GpuProgram } from '../../runtime/webgpu/index.js';
import { unpackTensors, type PackedTensor } from './tensorPack.js';

/** What the server hands the page at /job.json; the tensor bodies are /weights.bin and /inputs.bin. */
export interface BrowserJob {
  readonly program: GpuProgram;
  readonly weights: readonly PackedTensor[];
  readonly inputs: readonly PackedTensor[];
}

/** One output read back from the device, as plain numbers (NaN survives Playwright's transfer). */
export interface BrowserOutput {
  readonly dtype: 'f32' | 'i32';
  readonly data: number[];
}

export interface BrowserRunReport {
  readonly adapter: GpuAdapterDescription;
  /** The device is the browser's own `GPUDevice` (not Dawn's Node binding). */
  readonly nativeDevice: boolean;
  readonly userAgent: string;
  readonly timestamps: boolean;
  readonly dispatches: number;
  readonly submits: number;
  /** Executor creation (buffers, uploads, pipelines, prepare) and the forward, in page milliseconds. */
  readonly createMs: number;
  readonly forwardMs: number;
  readonly gpuMs?: number;
  readonly outputs: Record<string, BrowserOutput>;
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response;
}

async function runJob(): Promise<BrowserRunReport> {
  const job = (await (await fetchOk('/job.json')).json()) as BrowserJob;
  const weights = new Map<string, Float32Array>();
  for (const [name, data] of unpackTensors(job.weights, await (await fetchOk('/weights.bin')).arrayBuffer())) {
    if (!(data instanceof Float32Array)) throw new Error(`weight '${name}' is not float32`);
    weights.set(name, data);
  }
  const inputs = unpackTensors(job.inputs, await (await fetchOk('/inputs.bin')).arrayBuffer());
  const ctx = await acquireGpu();
  try {
    const start = performance.now();
    // Poisoned arena and state (NaN), as in the Node tests: a kernel reading unwritten storage shows.
    const executor = await WebGpuExecutor.create(ctx, job.program, weights, { poison: true });
    const createMs = performance.now() - start;
    try {
      const result = await executor.forward(Object.fromEntries(inputs));
      const outputs: Record<string, BrowserOutput> = {};
      for (const [name, data] of Object.entries(result.outputs)) outputs[name] = { dtype: data instanceof Int32Array ? 'i32' : 'f32', data: Array.from(data) };
      return {
        adapter: ctx.adapter,
        nativeDevice: typeof GPUDevice === 'function' && ctx.device instanceof GPUDevice,
        userAgent: navigator.userAgent,
        timestamps: ctx.timestamps,
        dispatches: result.dispatches,
        submits: result.submits,
        createMs,
        forwardMs: result.ms,
        ...(result.gpuMs === undefined ? {} : { gpuMs: result.gpuMs }),
        outputs,
      };
    } finally {
      executor.destroy();
    }
  } finally {
    ctx.destroy();
  }
}

/** The test calls this through `page.evaluate`. */
(globalThis as { mimoRunJob?: () => Promise<BrowserRunReport> }).mimoRunJob = runJob;
