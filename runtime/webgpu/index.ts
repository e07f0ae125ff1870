/**
 * The WebGPU plan executor: device acquisition (browser or Node via Dawn), the program format the
 * compiler emits (compiler/wgsl), and the executor running it from one arena in one command stream.
 */
export { acquireGpu, adapterClass, GpuUnavailableError, NO_ADAPTER_HELP } from './device.js';
export type { AcquireOptions, GpuAdapterDescription, GpuContext } from './device.js';
export { WebGpuExecutor, GpuProgramError } from './executor.js';
export type { ExecutorBytes, ExecutorOptions, ExecutorStats, ForwardResult, GpuWeightSource, HostTensor } from './executor.js';
export { PipelineCache, ShaderCompileError } from './pipelines.js';
export type { CachedPipeline } from './pipelines.js';
export { GPU_PROGRAM_FORMAT, GPU_PROGRAM_VERSION } from './program.js';
export type { GpuBinding, GpuBufferSpec, GpuDispatch, GpuElementType, GpuHostStep, GpuProgram, GpuTensorIo, GpuView, GpuZipRoutes } from './program.js';
export { buildZipRoutes, ZipperMismatchError } from './zipRoutes.js';
export { countDeviceWork } from './instrument.js';
export type { DeviceCounters } from './instrument.js';
