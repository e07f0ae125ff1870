import { createRequire } from 'node:module';
import path from 'node:path';
import { tf } from './tf.js';
import { BackendUnavailableError, type BackendInfo, type BackendOptions } from './types.js';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/**
 * Where the package's own `.wasm` binaries are, so nothing is fetched from a CDN. In Node we
 * resolve the installed package; in a browser the bundler's default (next to the script) stands.
 */
function wasmDistFolder(): string | undefined {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const require = createRequire(import.meta.url);
  // The package's `main` lives in its dist folder, next to the binaries.
  return path.dirname(require.resolve(WASM_PACKAGE)) + path.sep;
}

export async function startWasm(options: BackendOptions = {}): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const folder = wasmDistFolder();
  if (folder !== undefined) wasm.setWasmPaths(folder);
  if (options.wasmThreads !== undefined) wasm.setThreadsCount(options.wasmThreads);
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    throw new BackendUnavailableError('wasm', `the wasm backend failed to load its binaries from ${folder ?? 'the page folder'}: ${String(error)}`, { cause: error });
  }
  if (!ok) {
    throw new BackendUnavailableError('wasm', `the wasm backend failed to initialise (binaries looked up in ${folder ?? 'the page folder'}); reinstall ${WASM_PACKAGE}`);
  }
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threadsSupported = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const threads = threadsSupported ? wasm.getThreadsCount() : 1;
  return {
    name: 'wasm',
    tfBackend: tf.getBackend(),
    detail: `${WASM_PACKAGE} (${simd ? 'SIMD' : 'scalar'}, ${threads} thread${threads === 1 ? '' : 's'})`,
    simd,
    threads,
  };
}
