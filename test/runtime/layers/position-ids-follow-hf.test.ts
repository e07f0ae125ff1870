/** Position ids: plain ranges with an offset (KV cache), and HF's cumsum(mask) − 1 for left padding. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, positionIdsFrom, positionIdsFromMask, tf } from '../../../runtime/index.js';

describe('position ids', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('counts from the offset in every row', async () => {
    const ids = positionIdsFrom(2, 3, 5);
    expect(ids.dtype).toBe('int32');
    expect(await ids.array()).toEqual([
      [5, 6, 7],
      [5, 6, 7],
    ]);
  });

  it('starts each left-padded row at 0 on its first real token and gives pads 1', async () => {
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [0, 0, 1, 1],
    ], undefined, 'int32');
    expect(await positionIdsFromMask(mask).array()).toEqual([
      [0, 1, 2, 3],
      [1, 1, 0, 1],
    ]);
  });
});
