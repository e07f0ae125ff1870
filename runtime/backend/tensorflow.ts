import { tf } from './tf.js';
import { BackendUnavailableError, type BackendInfo } from './types.js';

/** Native TensorFlow bindings, tried in this order; both are optional peer dependencies. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

function isNotInstalled(error: unknown, pkg: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(pkg);
}

export async function startTensorflow(): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
      const specifier: string = pkg;
      await import(specifier);
    } catch (error) {
      if (isNotInstalled(error, pkg)) continue;
      failures.push(`${pkg} is installed but failed to load: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!(await tf.setBackend('tensorflow'))) {
      failures.push(`${pkg} loaded but the 'tensorflow' backend did not initialise`);
      continue;
    }
    await tf.ready();
    return { name: 'tensorflow', tfBackend: tf.getBackend(), detail: `${pkg} (native TensorFlow)` };
  }
  const why = failures.length > 0 ? failures.join('; ') : 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed';
  throw new BackendUnavailableError(
    'tensorflow',
    `tensorflow backend: ${why}. Install one with \`npm install @tensorflow/tfjs-node@4.22.0\` ` +
      '(CPU) or `npm install @tensorflow/tfjs-node-gpu@4.22.0` (CUDA), or pick another backend (`wasm`).',
  );
}
