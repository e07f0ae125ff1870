/// <reference types="@webgpu/types" />
/**
 * One WebGPU device for the plan executor: a browser's `navigator.gpu`, or in Node the `webgpu`
 * package (Dawn's binding; on a machine without a GPU, Mesa's lavapipe Vulkan driver gives a
 * CPU adapter). A device made elsewhere (tfjs-backend-webgpu's) can be wrapped instead, so the
 * executor and tfjs share one device in one process.
 */

export interface GpuAdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** A fallback adapter: WebGPU emulated on the CPU (lavapipe, SwiftShader, WARP). */
  readonly fallback?: boolean;
}

/**
 * What generated kernels should be tuned for on this adapter: 'cpu' for a fallback adapter (no
 * workgroup staging in matmuls, see compiler/wgsl/matmul.ts), 'gpu' otherwise.
 */
export function adapterClass(adapter: GpuAdapterDescription): 'gpu' | 'cpu' {
  return adapter.fallback === true ? 'cpu' : 'gpu';
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: GpuAdapterDescription;
  /** Whether GPU timestamps can be taken (`timestamp-query` enabled on the device). */
  readonly timestamps: boolean;
  /** Destroys the device if this context created it. */
  destroy(): void;
}

/** No WebGPU adapter or device here; the message says how to get one. */
export class GpuUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GpuUnavailableError';
  }
}

export const NO_ADAPTER_HELP =
  'no WebGPU adapter found. On Linux without a GPU install a Vulkan driver: Mesa lavapipe ' +
  '(`apt-get install mesa-vulkan-drivers`, which provides /usr/share/vulkan/icd.d/lvp_icd*.json); ' +
  'in a browser, enable WebGPU.';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

let nodeGpu: GPU | undefined;

async function findGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) return nav.gpu;
  if (nodeGpu !== undefined) return nodeGpu;
  let dawn: DawnModule;
  try {
    const specifier: string = 'webgpu';
    dawn = (await import(specifier)) as DawnModule;
  } catch (error) {
    throw new GpuUnavailableError('this JavaScript runtime has no navigator.gpu and the `webgpu` package (Dawn) did not load; install it with `npm install webgpu`', { cause: error });
  }
  // Dawn's enums (GPUBufferUsage, …) are globals in a browser; some callers expect them.
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  nodeGpu = dawn.create([]);
  return nodeGpu;
}

/** The parts of a GPUAdapterInfo read here (all optional: implementations differ in what they fill). */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
  readonly device?: string;
  readonly isFallbackAdapter?: boolean;
}

export function describeAdapter(info: AdapterInfoLike | undefined): GpuAdapterDescription {
  // `isFallbackAdapter` is recent in the spec; where it is missing, Dawn on lavapipe says
  // architecture 'software' and Chromium's SwiftShader 'swiftshader'.
  const flagged = info?.isFallbackAdapter === true;
  const architecture = info?.architecture ?? '';
  return {
    vendor: info?.vendor ?? '',
    architecture,
    description: info?.description || info?.device || '',
    fallback: flagged || architecture === 'software' || architecture === 'swiftshader',
  };
}

function deviceAdapter(device: GPUDevice): GpuAdapterDescription {
  const info = (device as { adapterInfo?: AdapterInfoLike }).adapterInfo;
  return info === undefined ? { vendor: '', architecture: '', description: 'external device' } : describeAdapter(info);
}

/** Limits worth raising to the adapter's maxima: big weights and arenas are bound whole. */
const RAISED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize'] as const;

export interface AcquireOptions {
  /** Wrap this device instead of creating one (it is not destroyed by `destroy()`). */
  readonly device?: GPUDevice;
  readonly adapterDescription?: GpuAdapterDescription;
  readonly powerPreference?: GPUPowerPreference;
}

export async function acquireGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  if (options.device !== undefined) {
    const device = options.device;
    return {
      device,
      // Devices know their adapter (GPUDevice.adapterInfo) where the implementation is recent.
      adapter: options.adapterDescription ?? deviceAdapter(device),
      timestamps: device.features.has('timestamp-query'),
      destroy: () => undefined,
    };
  }
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (adapter === null) throw new GpuUnavailableError(NO_ADAPTER_HELP);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const features: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures: features });
  } catch (error) {
    throw new GpuUnavailableError(`the WebGPU adapter refused to create a device: ${String(error)}`, { cause: error });
  }
  let destroyed = false;
  return {
    device,
    adapter: describeAdapter((adapter as { info?: AdapterInfoLike }).info),
    timestamps: features.length > 0,
    destroy: () => {
      if (!destroyed) device.destroy();
      destroyed = true;
    },
  };
}
