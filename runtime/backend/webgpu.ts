import { tf } from './tf.js';
import { describeAdapter } from '../webgpu/device.js';
import { BackendUnavailableError, type BackendInfo } from './types.js';

/** The subset of `navigator.gpu` we touch before tfjs takes over. */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string; readonly device?: string };
}

function existingGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

/**
 * In Node there is no `navigator.gpu`: the `webgpu` package (Dawn's node binding) provides one.
 * It must be installed on `globalThis` BEFORE the tfjs webgpu backend is imported, because that
 * module registers itself only when it sees `navigator.gpu` at import time.
 */
async function provideNodeGpu(): Promise<GpuLike> {
  let dawn: { create(flags: string[]): unknown; globals: object };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (error) {
    throw new BackendUnavailableError(
      'webgpu',
      'webgpu backend: this Node.js has no navigator.gpu and the `webgpu` package (Dawn) did not load. ' +
        'Install it with `npm install webgpu`, or run in a browser with WebGPU.',
      { cause: error },
    );
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]) as GpuLike;
  const holder = globalThis as { navigator?: { gpu?: GpuLike } };
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  return gpu;
}

export async function startWebgpu(): Promise<BackendInfo> {
  const gpu = existingGpu() ?? (await provideNodeGpu());
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new BackendUnavailableError(
      'webgpu',
      'webgpu backend: no GPU adapter found. On Linux without a GPU install a Vulkan driver ' +
        '(Mesa lavapipe: `apt-get install mesa-vulkan-drivers`, which provides ' +
        '/usr/share/vulkan/icd.d/lvp_icd*.json), or pick another backend (`wasm`).',
    );
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  let ok = false;
  try {
    ok = await tf.setBackend('webgpu');
  } catch (error) {
    throw new BackendUnavailableError('webgpu', `webgpu backend: the adapter was found but the device failed to start: ${String(error)}`, { cause: error });
  }
  if (!ok) {
    throw new BackendUnavailableError('webgpu', 'webgpu backend: the adapter was found but tfjs could not create a device on it');
  }
  await tf.ready();
  const described = describeAdapter(adapter.info);
  return {
    name: 'webgpu',
    tfBackend: tf.getBackend(),
    detail: `@tensorflow/tfjs-backend-webgpu on ${described.description || described.vendor || 'an unnamed adapter'}`,
    adapter: described,
  };
}
