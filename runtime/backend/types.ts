/** The backends the runtime can run on. `wasm` is the default (embedded, no native code). */
export type BackendName = 'wasm' | 'webgpu' | 'cpu' | 'tensorflow';

export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'webgpu', 'cpu', 'tensorflow'];

/** What `initBackend` set up, for logs and `mimo run --json`. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The tfjs backend name now active (`tf.getBackend()`). */
  readonly tfBackend: string;
  /** One human-readable line: which package, which device. */
  readonly detail: string;
  /** wasm only: worker threads used by XNNPACK (1 = single-threaded build). */
  readonly threads?: number;
  /** wasm only: whether the SIMD build was loaded. */
  readonly simd?: boolean;
  /** webgpu only: the adapter that was picked. */
  readonly adapter?: { readonly vendor: string; readonly architecture: string; readonly description: string; readonly fallback?: boolean };
}

export interface BackendOptions {
  /** wasm: number of XNNPACK threads when the threaded build loads (default: the build decides). */
  readonly wasmThreads?: number;
}

/** A backend that cannot start here; the message says why and how to fix it. */
export class BackendUnavailableError extends Error {
  readonly backend: BackendName;
  constructor(backend: BackendName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
  }
}
