import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../runtime/backend/tf.js';
import { ZipperError, createRng, fillNormal, zipMultimodalInputs } from '../../../runtime/io/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const HIDDEN = 6;
const VOCAB = 20;
const AUDIO = 18;
const VIDEO = 19;

function randomArray(count: number, seed: number): Float32Array {
  return fillNormal(new Float32Array(count), createRng(seed, 'zipper-test'));
}

/** What the zipper must produce, built directly from the prompt, without the plan. */
function naive(tokenIds: number[][], table: Float32Array, senses: Map<number, { data: Float32Array; n: number }>): number[][][] {
  const next = new Map<number, number>();
  const rows = tokenIds.map((ids) => {
    const out: number[][] = [];
    for (const id of ids) {
      const sense = senses.get(id);
      if (sense === undefined) {
        out.push([...table.subarray(id * HIDDEN, (id + 1) * HIDDEN)]);
        continue;
      }
      const item = next.get(id) ?? 0;
      next.set(id, item + 1);
      for (let j = 0; j < sense.n; j++) {
        const at = (item * sense.n + j) * HIDDEN;
        out.push([...sense.data.subarray(at, at + HIDDEN)]);
      }
    }
    return out;
  });
  const length = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array.from({ length: length - r.length }, () => new Array<number>(HIDDEN).fill(0))]);
}

describe('zipMultimodalInputs on tfjs', () => {
  const table = randomArray(VOCAB * HIDDEN, 1);
  const audioData = randomArray(3 * 4 * HIDDEN, 2); // 3 items × 4 embeddings
  const videoData = randomArray(1 * 2 * HIDDEN, 3); // 1 item × 2 embeddings
  const prompt = [[1, AUDIO, 2, AUDIO], [VIDEO, 3, 4, 5, 6, 7], [AUDIO]];

  it('writes each sense where its placeholder stands, with mask and positions, matching a direct construction', () => {
    const tableTensor = tf.tensor2d(table, [VOCAB, HIDDEN]);
    const audio = tf.tensor3d(audioData, [3, 4, HIDDEN]);
    const video = tf.tensor3d(videoData, [1, 2, HIDDEN]);
    const out = zipMultimodalInputs({
      tokenIds: prompt,
      embed: tableTensor,
      senses: [{ name: 'audio', tokenId: AUDIO, embeddings: audio }, { name: 'video', tokenId: VIDEO, embeddings: video }],
      convention: 'expand',
    });
    expect(out.embeddings.shape).toEqual([3, 10, HIDDEN]);
    const expected = naive(prompt, table, new Map([[AUDIO, { data: audioData, n: 4 }], [VIDEO, { data: videoData, n: 2 }]]));
    expect(out.embeddings.arraySync()).toEqual(expected.map((r) => r.map((v) => v.map((x) => Math.fround(x)))));
    expect(out.attentionMask.arraySync()).toEqual([[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]]);
    expect(out.positionIds.arraySync()[1]).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 0, 0]);
    expect(out.attentionMask.dtype).toBe('int32');
    tf.dispose([tableTensor, audio, video, out.embeddings, out.attentionMask, out.positionIds, out.tokenIds]);
  });

  it('accepts a [batch, length] tensor with a mask, an embedding function, and the pre-expanded convention', () => {
    const tableTensor = tf.tensor2d(table, [VOCAB, HIDDEN]);
    const video = tf.tensor3d(videoData, [1, 2, HIDDEN]);
    const ids = tf.tensor2d([[0, 1, VIDEO, VIDEO, 2], [0, 0, 0, 3, 4]], [2, 5], 'int32');
    const mask = tf.tensor2d([[0, 1, 1, 1, 1], [0, 0, 0, 1, 1]], [2, 5], 'int32');
    let calls = 0;
    const before = tf.memory().numTensors;
    const out = zipMultimodalInputs({
      tokenIds: ids,
      attentionMask: mask,
      embed: (t) => {
        calls++;
        return tf.gather(tableTensor, t);
      },
      senses: [{ name: 'video', tokenId: VIDEO, embeddings: video }],
      convention: 'preexpanded',
    });
    expect(calls).toBe(1);
    expect(out.embeddings.shape).toEqual([2, 4, HIDDEN]);
    const expected = naive([[1, VIDEO, 2], [3, 4]], table, new Map([[VIDEO, { data: videoData, n: 2 }]]));
    expect(out.embeddings.arraySync()).toEqual(expected.map((r) => r.map((v) => v.map((x) => Math.fround(x)))));
    // Only the four outputs survive; intermediates are freed.
    expect(tf.memory().numTensors - before).toBe(4);
    tf.dispose([tableTensor, video, ids, mask, out.embeddings, out.attentionMask, out.positionIds, out.tokenIds]);
  });

  it('refuses senses whose width differs from the text embeddings, and count mismatches', () => {
    const tableTensor = tf.tensor2d(table, [VOCAB, HIDDEN]);
    const narrow = tf.zeros([1, 4, HIDDEN - 1]) as tf.Tensor3D;
    expect(() => zipMultimodalInputs({ tokenIds: [[AUDIO]], embed: tableTensor, senses: [{ name: 'audio', tokenId: AUDIO, embeddings: narrow }], convention: 'expand' }))
      .toThrow(/embeddings differ in width \(text: 6, sense audio: 5\)/);
    const audio = tf.zeros([2, 4, HIDDEN]) as tf.Tensor3D;
    expect(() => zipMultimodalInputs({ tokenIds: [[AUDIO]], embed: tableTensor, senses: [{ name: 'audio', tokenId: AUDIO, embeddings: audio }], convention: 'expand' }))
      .toThrow(ZipperError);
    tf.dispose([tableTensor, narrow, audio]);
  });
});
