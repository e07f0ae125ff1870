/**
 * The generated code of specs/tiny_avlm.mimo runs end to end on wasm: seeded weights through a
 * safetensors file, a prompt with `<video>` and `<audio>` placeholders, media through the front
 * ends. Shapes are the typed ones, values finite, top ids deterministic for a seed; the two
 * placeholder conventions, the next-token shortcut and padded batches agree with plain runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../compiler/model/types.js';
import { beatsFbank, CLIP_NORMALIZATION, createRng, initBackend, normalizeVideoFrames, tf } from '../../runtime/index.js';
import { specModels } from '../codegen/helpers.js';
import { loadGenerated, removeGenerated, type LoadedModel } from './load-generated.js';

let checked: CheckedModel;
let loaded: LoadedModel;
let video: tf.Tensor;
let audio: tf.Tensor;

const VIDEO = 256;
const AUDIO = 257;
const prompt = [1, 17, 42, VIDEO, AUDIO, 99, 7];

function media(seed: number): { video: tf.Tensor; audio: tf.Tensor } {
  const rng = createRng(seed, 'test.media');
  const frames = Array.from({ length: 2 }, () => {
    const data = new Uint8Array(32 * 32 * 3);
    for (let i = 0; i < data.length; i++) data[i] = rng.nextUint32() & 0xff;
    return { width: 32, height: 32, channels: 3 as const, data };
  });
  const pixels = normalizeVideoFrames(frames, CLIP_NORMALIZATION, { frames: 2 });
  const samples = new Float32Array(24000);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000) + 0.01 * (rng.nextFloat64() - 0.5);
  const fbank = beatsFbank(samples, { melBins: 32 });
  return { video: tf.tensor(pixels.data, [1, ...pixels.shape]), audio: tf.tensor(fbank.data, [1, ...fbank.shape]) };
}

function topIds(row: ArrayLike<number>, k: number): number[] {
  return Array.from(row, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

beforeAll(async () => {
  await initBackend('wasm');
  checked = (await specModels('tiny_avlm.mimo'))[0];
  loaded = await loadGenerated(checked, 1234);
  ({ video, audio } = media(1));
}, 120_000);

afterAll(() => {
  removeGenerated();
  loaded?.model.dispose();
  tf.dispose([...(loaded?.weights.values() ?? []), video, audio]);
});

describe('generated tiny_avlm runs end to end on wasm', () => {
  it('forward gives [batch, seq, vocab] logits, finite, with the zipped length', () => {
    const out = loaded.model.forward({ inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: video, audio });
    expect(out.logits.shape).toEqual([1, prompt.length - 2 + 32 + 18, 258]);
    expect(out.attentionMask.shape).toEqual([1, 55]);
    const values = out.logits.dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(values).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([out.logits, out.attentionMask]);
  });

  it('nextTokenLogits equals the last row of forward, and the top ids repeat run after run', () => {
    const inputs = { inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: video, audio };
    const full = loaded.model.forward(inputs);
    const last = tf.tidy(() => tf.slice(full.logits, [0, 54, 0], [1, 1, -1]).reshape([1, 258]));
    const next = loaded.model.nextTokenLogits(inputs);
    expect(next.shape).toEqual([1, 258]);
    expect(tf.max(tf.abs(tf.sub(next, last))).dataSync()[0]).toBeLessThan(1e-5);
    const again = loaded.model.nextTokenLogits(inputs);
    expect(topIds(again.dataSync(), 5)).toEqual(topIds(next.dataSync(), 5));
    expect(Array.from(again.dataSync())).toEqual(Array.from(next.dataSync()));
    tf.dispose([full.logits, full.attentionMask, last, next, again]);
  });

  it('another weight seed gives other logits (the check can fail)', async () => {
    const other = await loadGenerated(checked, 99);
    const inputs = { inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: video, audio };
    const a = loaded.model.nextTokenLogits(inputs);
    const b = other.model.nextTokenLogits(inputs);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-3);
    other.model.dispose();
    tf.dispose([a, b, ...other.weights.values()]);
  }, 60_000);

  it("Megatron's pre-expanded placeholders give the same logits as expansion", () => {
    const expanded = [1, 17, 42, ...Array(32).fill(VIDEO), ...Array(18).fill(AUDIO), 99, 7];
    const a = loaded.model.nextTokenLogits({ inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: video, audio });
    const b = loaded.model.nextTokenLogits({ inputIds: tf.tensor2d([expanded], undefined, 'int32'), vision: video, audio }, { convention: 'preexpanded' });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([a, b]);
  });

  it('a padded batch gives each row the logits it has alone', () => {
    const short = [1, VIDEO, AUDIO, 5];
    const rowsIds = [prompt, [...short, 0, 0, 0]];
    const mask = [prompt.map(() => 1), [1, 1, 1, 1, 0, 0, 0]];
    const m2 = media(2);
    const batchVideo = tf.concat([video, m2.video]);
    const batchAudio = tf.concat([audio, m2.audio]);
    const batched = loaded.model.nextTokenLogits({ inputIds: tf.tensor2d(rowsIds, undefined, 'int32'), attentionMask: tf.tensor2d(mask, undefined, 'int32'), vision: batchVideo, audio: batchAudio });
    const alone0 = loaded.model.nextTokenLogits({ inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: video, audio });
    const alone1 = loaded.model.nextTokenLogits({ inputIds: tf.tensor2d([short], undefined, 'int32'), vision: m2.video, audio: m2.audio });
    expect(batched.shape).toEqual([2, 258]);
    const rows = tf.split(batched, 2);
    expect(tf.max(tf.abs(tf.sub(rows[0], alone0))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(tf.sub(rows[1], alone1))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([batched, alone0, alone1, ...rows, batchVideo, batchAudio, m2.video, m2.audio]);
  });

  it('inputs of the wrong shape are rejected with the declared shape', () => {
    const wrong = tf.zeros([1, 3, 3, 32, 32]);
    expect(() => loaded.model.forward({ inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: wrong, audio })).toThrow(
      "vision: dimension 1 must be 2 (shape [batch, 2, 3, 32, 32]), got 3",
    );
    const otherBatch = tf.zeros([2, 2, 3, 32, 32]);
    expect(() => loaded.model.forward({ inputIds: tf.tensor2d([prompt], undefined, 'int32'), vision: otherBatch, audio })).toThrow(/batch is 1 elsewhere/);
    tf.dispose([wrong, otherBatch]);
  });
});
