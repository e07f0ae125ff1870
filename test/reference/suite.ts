import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type BackendName } from '../../runtime/index.js';
import { maxAbsError, runTorchReference, type ReferenceCase, type ReferenceOutputs } from './harness.js';

/** The fp32 agreement every case must reach against torch. */
export const TOLERANCE = 1e-4;

/**
 * The backends a numerical suite runs on: wasm and cpu always, webgpu when a GPU adapter exists —
 * and always under CI=true, where a missing adapter then fails loudly in `initBackend`.
 * MIMO_TEST_BACKENDS (comma-separated) overrides the list for a one-off run.
 */
export async function testBackends(): Promise<BackendName[]> {
  const named = process.env.MIMO_TEST_BACKENDS;
  if (named) return named.split(',').map((n) => n.trim()) as BackendName[];
  const webgpu = process.env.CI === 'true' || (await webgpuAdapterExists());
  return webgpu ? ['wasm', 'cpu', 'webgpu'] : ['wasm', 'cpu'];
}

/** Whether Dawn (the `webgpu` package) finds an adapter here; false when it cannot load. */
export async function webgpuAdapterExists(): Promise<boolean> {
  try {
    const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): { requestAdapter(): Promise<unknown> }; globals: object };
    Object.assign(globalThis, dawn.globals);
    return (await dawn.create([]).requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** A reference case plus how to compute the same thing with the runtime on the current backend. */
export interface ComparedCase extends ReferenceCase {
  /** Which torch output to compare (default: the only one). */
  readonly output?: string;
  /** Runtime result; run inside tf.tidy by the suite. */
  readonly run: () => tf.Tensor;
}

/**
 * Registers one vitest suite per backend comparing every case against torch: torch runs once for
 * all cases (beforeAll), then each backend computes each case and must agree within TOLERANCE.
 * Missing torch fails the suite with an install hint (never skips).
 */
export function compareWithTorch(title: string, cases: readonly ComparedCase[], backends: readonly BackendName[]): void {
  let reference: ReferenceOutputs;
  beforeAll(() => {
    reference = runTorchReference(cases);
  }, 300_000);

  for (const backend of backends) {
    describe(`${title} on ${backend}`, () => {
      const errors: string[] = [];
      beforeAll(async () => {
        await initBackend(backend);
      });
      afterAll(() => {
        if (process.env.MIMO_REPORT_ERRORS) console.log(`[max abs error vs torch, ${backend}]\n${errors.join('\n')}`);
      });
      for (const c of cases) {
        it(`${c.name} matches torch within ${TOLERANCE}`, async () => {
          const outputs = reference.get(c.name);
          if (outputs === undefined) throw new Error(`torch produced no output for ${c.name}`);
          const key = c.output ?? Object.keys(outputs)[0];
          const expected = outputs[key];
          const actualTensor = tf.tidy(c.run);
          // data(), not dataSync(): webgpu in Node has no synchronous read-back.
          const actual = await actualTensor.data();
          const shape = actualTensor.shape;
          actualTensor.dispose();
          expect(shape).toEqual(expected.shape);
          const error = maxAbsError(actual, expected.data);
          errors.push(`${c.name}: ${error.toExponential(2)}`);
          expect(error).toBeLessThanOrEqual(TOLERANCE);
        });
      }
    });
  }
}
