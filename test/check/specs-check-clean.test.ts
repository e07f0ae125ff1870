import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../compiler/pipeline.js';
import { line } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const specs = readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.mimo')).sort();

/** Tokens per sense of every model, variant and sweep point, by id. */
const expectedTokens: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  llava_avlm: { vision: 2048, audio: 1024 },
  'llava_avlm/small': { vision: 2048, audio: 1024 },
  'llava_avlm/tiny': { vision: 2048, audio: 1024 },
  llava15_7b: { image: 576 },
  whisper_audio_lm: { audio: 1500 },
  'whisper_audio_lm/small_encoder': { audio: 1500 },
  tiny_avlm: { vision: 32, audio: 18 },
  tiny_gpt2: { image: 16 },
};

describe('the specs in specs/', () => {
  it('includes the seed and the four added specs', () => {
    expect(specs).toEqual(expect.arrayContaining(['llava_avlm.mimo', 'llava15_7b.mimo', 'whisper_audio_lm.mimo', 'tiny_avlm.mimo', 'tiny_gpt2.mimo']));
  });

  for (const spec of specs) {
    it(`${spec} checks clean, every variant and sweep point included`, async () => {
      const result = await runPipeline([join('specs', spec)], { root, cwd: root, expandSweeps: true });
      expect(result.diagnostics.map(line)).toEqual([]);
      expect(result.models.length).toBeGreaterThan(0);
      for (const model of result.models) {
        const expected = expectedTokens[model.id];
        if (expected !== undefined) expect(Object.fromEntries(model.senses.map((s) => [s.name, s.tokens]))).toEqual(expected);
        expect(model.sequenceLength).toBeLessThanOrEqual(model.decoder.context);
      }
    });
  }

  it('gives the seed grid its 8 points (9 combinations minus one exclude)', async () => {
    const result = await runPipeline(['specs/llava_avlm.mimo'], { root, cwd: root, expandSweeps: true });
    const points = result.models.filter((m) => m.id.startsWith('llava_avlm/frames['));
    expect(points.map((m) => m.id)).toEqual([
      'llava_avlm/frames[vision.input.frames=2,text_tokens=256]',
      'llava_avlm/frames[vision.input.frames=2,text_tokens=512]',
      'llava_avlm/frames[vision.input.frames=4,text_tokens=256]',
      'llava_avlm/frames[vision.input.frames=4,text_tokens=512]',
      'llava_avlm/frames[vision.input.frames=4,text_tokens=1024]',
      'llava_avlm/frames[vision.input.frames=8,text_tokens=256]',
      'llava_avlm/frames[vision.input.frames=8,text_tokens=512]',
      'llava_avlm/frames[vision.input.frames=8,text_tokens=1024]',
    ]);
    expect(points.map((m) => m.senses[0].tokens)).toEqual([512, 512, 1024, 1024, 1024, 2048, 2048, 2048]);
  });

  it('returns sweep points only when asked', async () => {
    const result = await runPipeline(['specs/llava_avlm.mimo'], { root, cwd: root });
    expect(result.models.map((m) => m.id)).toEqual(['llava_avlm', 'llava_avlm/small', 'llava_avlm/tiny']);
  });

  it('is deterministic: the same input gives the same result', async () => {
    const run = async () => {
      const result = await runPipeline(specs.map((s) => join('specs', s)), { root, cwd: root, expandSweeps: true });
      return JSON.stringify(result.models, (_, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
    };
    expect(await run()).toBe(await run());
  });
});
