/**
 * `mimo bench`'s byte count for tfjs (trackResidentBytes): each tensor data buffer counts once
 * however many handles view it (tf.memory() counts a reshape's data again), a copy counts twice,
 * data leaves the count with its last handle, data from before the tracker never counts, and the
 * peak is the most resident since the reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackResidentBytes } from '../../cli/commands/bench-tfjs.js';
import { initBackend, tf } from '../../runtime/index.js';

describe('trackResidentBytes', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(0);
  });

  it('counts data buffers, not handles, and keeps the peak', () => {
    const before = tf.ones([500]); // data from before the tracker: never counted
    const resident = trackResidentBytes();
    const late = tf.reshape(before, [5, 100]);
    expect(resident.current).toBe(0);
    late.dispose();
    before.dispose();
    expect(resident.current).toBe(0);
    try {
      const a = tf.ones([1000]); // 4000 bytes
      const view = tf.reshape(a, [10, 100]); // same data
      expect(resident.current).toBe(4000);
      expect(tf.memory().numBytes).toBeGreaterThanOrEqual(8000); // what tfjs itself reports
      const copy = tf.clone(a); // wasm's Identity copies
      expect(resident.current).toBe(8000);
      a.dispose();
      expect(resident.current).toBe(8000); // the view still holds the data
      view.dispose();
      expect(resident.current).toBe(4000);
      resident.resetPeak();
      tf.tidy(() => {
        tf.add(copy, tf.ones([1000]));
      });
      expect(resident.current).toBe(4000);
      expect(resident.peak).toBe(12000);
      copy.dispose();
      expect(resident.current).toBe(0);
    } finally {
      resident.detach();
    }
    // Detached: nothing is counted any more.
    const b = tf.ones([10]);
    expect(resident.current).toBe(0);
    b.dispose();
  });
});
