/**
 * Memory inside one kernel step: a fused epilogue frees each value it computed after its last
 * reader, and the composed activations (GELU, tanh GELU, quick GELU, SiLU) free each intermediate
 * as soon as the next exists — counted as the most tensor data resident at once, each data buffer
 * once, while the step runs inside a caller's tidy (which would otherwise hold every value to its
 * end). Values are unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { trackResidentBytes } from '../../cli/commands/bench-tfjs.js';
import { initBackend, tf } from '../../runtime/index.js';
import { ACTIVATIONS, activation } from '../../runtime/layers/activation.js';
import { evalProgram } from '../../runtime/plan/program.js';
import type { Program } from '../../runtime/plan/types.js';

const N = 1000; // elements; 4000 bytes a value

/** Peak resident bytes above what was resident before `f` ran inside a tidy, and its result's values. */
function peakOf(f: () => tf.Tensor): { peak: number; values: Float32Array } {
  const resident = trackResidentBytes();
  try {
    const base = resident.current;
    resident.resetPeak();
    const values = tf.tidy(() => f().dataSync() as Float32Array);
    return { peak: resident.peak - base, values };
  } finally {
    resident.detach();
  }
}

describe('kernel steps free intermediates early', () => {
  let x: tf.Tensor;
  beforeAll(async () => {
    await initBackend('wasm');
    x = tf.linspace(-4, 4, N);
  });

  for (const fn of ACTIVATIONS) {
    it(`${fn}: input plus at most three values of its size`, () => {
      const { peak } = peakOf(() => activation(x, fn));
      expect(peak).toBeLessThanOrEqual(3 * 4 * N + 64);
    });
  }

  it('an eight-instruction epilogue holds at most three values at once, with the same result', () => {
    // ((acc·2 + b)·acc − b)·(acc + 1), then relu: every register read once, in a chain.
    const program: Program = [
      { op: 'acc', part: 0 },
      { op: 'const', value: 2 },
      { op: 'mul', a: 0, b: 1 },
      { op: 'load', input: 0 },
      { op: 'add', a: 2, b: 3 },
      { op: 'mul', a: 4, b: 0 },
      { op: 'sub', a: 5, b: 3 },
      { op: 'activation', fn: 'relu', a: 6 },
    ];
    const b = tf.linspace(1, 2, N);
    const { peak, values } = peakOf(() => evalProgram(program, { acc: () => x, load: () => b }));
    expect(peak).toBeLessThanOrEqual(3 * 4 * N + 64);
    const xs = x.dataSync();
    const bs = b.dataSync();
    const want = Float32Array.from(xs, (v, i) => Math.max(0, Math.fround(Math.fround(Math.fround(Math.fround(v * 2) + bs[i]) * v) - bs[i])));
    expect(Array.from(values)).toEqual(Array.from(want));
    b.dispose();
  });
});
