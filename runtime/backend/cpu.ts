import { tf } from './tf.js';
import { BackendUnavailableError, type BackendInfo } from './types.js';

/** tfjs's plain JavaScript backend: slow, exact, everywhere. Registered by `@tensorflow/tfjs`. */
export async function startCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'the tfjs cpu backend failed to initialise');
  }
  await tf.ready();
  // In Node the backend prints a banner ("install tfjs-node") on its first tensor, into the
  // output of every command that picked `--backend cpu` on purpose; the detail line below says
  // which backend runs, and the README how to get the native one (`--backend tensorflow`).
  const backend = tf.backend() as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
  return { name: 'cpu', tfBackend: tf.getBackend(), detail: '@tensorflow/tfjs-backend-cpu (JavaScript)' };
}
