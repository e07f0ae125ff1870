import { tf } from './tf.js';
import { BackendUnavailableError, type BackendInfo } from './types.js';

/** tfjs's plain JavaScript backend: slow, exact, everywhere. Registered by `@tensorflow/tfjs`. */
export async function startCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'the tfjs cpu backend failed to initialise');
  }
  await tf.ready();
  return { name: 'cpu', tfBackend: tf.getBackend(), detail: '@tensorflow/tfjs-backend-cpu (JavaScript)' };
}
