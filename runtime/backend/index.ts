export { tf } from './tf.js';
export { initBackend } from './initBackend.js';
export { BACKEND_NAMES, BackendUnavailableError } from './types.js';
export type { BackendInfo, BackendName, BackendOptions } from './types.js';
