/**
 * `initBackend` starts wasm (the default, binaries from node_modules) and cpu everywhere; webgpu
 * whenever a GPU adapter exists (under CI=true a missing adapter is a failure, not a skip);
 * `tensorflow` either starts tfjs-node or explains how to install it. The cpu backend's console
 * banner is silenced (mimo's own output names the backend).
 */
import { describe, expect, it, vi } from 'vitest';
import { isInstalled } from '../../setup/is-installed.js';
import { BackendUnavailableError, disposeWeights, initBackend, linear, linearFromHf, tf, type BackendInfo } from '../../../runtime/index.js';

/** A small product whose answer is known exactly: [[1,2,3],[4,5,6]] · Wᵀ + b. */
async function checkArithmetic(): Promise<void> {
  const w = linearFromHf(tf.tensor2d([[1, 0, -1], [2, 1, 0]]), tf.tensor1d([0.5, -0.5]));
  const y = linear(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), w);
  expect(Array.from(await y.data())).toEqual([-1.5, 3.5, -1.5, 12.5]);
  disposeWeights(w);
  y.dispose();
}

async function hasWebgpuAdapter(): Promise<boolean> {
  const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): { requestAdapter(): Promise<unknown> }; globals: object };
  Object.assign(globalThis, dawn.globals);
  return (await dawn.create([]).requestAdapter()) !== null;
}

describe('initBackend', () => {
  // First in the file: tfjs makes one cpu backend per process, and its banner comes on first use.
  it("starts cpu without tfjs's \"install tfjs-node\" banner on the console", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await initBackend('cpu');
      await checkArithmetic();
      expect(warn.mock.calls.flat().join('\n')).not.toMatch(/tfjs-node/);
    } finally {
      warn.mockRestore();
    }
  });

  it('starts wasm by default, loading the binaries from the installed package', async () => {
    const info: BackendInfo = await initBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.detail).toContain('@tensorflow/tfjs-backend-wasm');
    expect(info.threads).toBeGreaterThanOrEqual(1);
    await checkArithmetic();
    // Selecting it again (after another backend, say) is harmless.
    await initBackend('cpu');
    expect((await initBackend('wasm')).name).toBe('wasm');
    await checkArithmetic();
  });

  it('starts cpu', async () => {
    const info = await initBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await checkArithmetic();
  });

  it('starts webgpu on the GPU adapter when one exists (CI requires one)', { timeout: 120_000 }, async () => {
    const adapter = await hasWebgpuAdapter();
    if (!adapter) {
      if (process.env.CI === 'true') {
        throw new Error(
          'CI=true but no WebGPU adapter was found: install Mesa lavapipe (`apt-get install -t bookworm-backports mesa-vulkan-drivers`, ' +
            'check /usr/share/vulkan/icd.d/lvp_icd*.json) so the webgpu backend can be tested',
        );
      }
      // Without an adapter the backend must refuse with the actionable error, not crash.
      await expect(initBackend('webgpu')).rejects.toThrow(/no GPU adapter found.*mesa-vulkan-drivers/s);
      return;
    }
    const info = await initBackend('webgpu');
    expect(info.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(info.adapter).toBeDefined();
    await checkArithmetic();
  });

  it('starts tensorflow when tfjs-node is installed, and otherwise says how to install it', async () => {
    if (isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node')) {
      const info = await initBackend('tensorflow');
      expect(info.name).toBe('tensorflow');
      await checkArithmetic();
      return;
    }
    const failure = initBackend('tensorflow');
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown backend name, listing the valid ones', async () => {
    await expect(initBackend('webgl' as never)).rejects.toThrow(/unknown backend 'webgl'.*'wasm', 'webgpu', 'cpu', 'tensorflow'/);
  });
});
