import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type BackendName } from '../../runtime/index.js';
import { maxAbsError, runTorchReference, type ReferenceCase, type ReferenceOutputs } from './harness.js';

/** The fp32 agreement every case must reach against torch. */
export const TOLERANCE = 1e-4;

/** wasm and cpu, unless MIMO_TEST_BACKENDS (comma-separated) names others for a one-off run. */
function defaultBackends(): BackendName[] {
  const named = process.env.MIMO_TEST_BACKENDS;
  return named ? (named.split(',').map((n) => n.trim()) as BackendName[]) : ['wasm', 'cpu'];
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
export function compareWithTorch(title: string, cases: readonly ComparedCase[], backends: readonly BackendName[] = defaultBackends()): void {
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
        it(`${c.name} matches torch within ${TOLERANCE}`, () => {
          const outputs = reference.get(c.name);
          if (outputs === undefined) throw new Error(`torch produced no output for ${c.name}`);
          const key = c.output ?? Object.keys(outputs)[0];
          const expected = outputs[key];
          const actualTensor = tf.tidy(c.run);
          const actual = actualTensor.dataSync();
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
