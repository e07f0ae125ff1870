import { startCpu } from './cpu.js';
import { startTensorflow } from './tensorflow.js';
import { BACKEND_NAMES, BackendUnavailableError, type BackendInfo, type BackendName, type BackendOptions } from './types.js';
import { startWasm } from './wasm.js';
import { startWebgpu } from './webgpu.js';

/**
 * Selects and starts a tfjs backend; resolves once it is ready. `wasm` is the default. Failures
 * reject with a `BackendUnavailableError` whose message says how to fix the environment.
 */
export async function initBackend(name: BackendName = 'wasm', options: BackendOptions = {}): Promise<BackendInfo> {
  switch (name) {
    case 'wasm':
      return startWasm(options);
    case 'webgpu':
      return startWebgpu();
    case 'cpu':
      return startCpu();
    case 'tensorflow':
      return startTensorflow();
    default: {
      const unknown: string = name;
      throw new BackendUnavailableError(
        'wasm',
        `unknown backend '${unknown}': expected one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}`,
      );
    }
  }
}
