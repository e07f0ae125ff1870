import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

const audio = (input: string, encoder: string) =>
  `model m {\n  decoder llama("llama-2-7b")\n  sense audio {\n    input ${input}\n    encoder ${encoder}\n    projector mlp()\n    token "<audio>"\n  }\n}\n`;

describe('SenseTokensRule', () => {
  it('reports the fixture\'s audio that does not fit or does not count', async () => {
    const { expected, actual } = await runFixture('check', 'SenseTokensRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('shows the Whisper arithmetic for 30 s and suggests both fixes', async () => {
    const result = await runSpec(audio('audio(seconds: 30, sample_rate: 16000)', 'whisper("base")'));
    const d = result.diagnostics[0];
    expect(d.message).toBe('sense `audio`: the audio gives 1501 encoder frames but `whisper` has only 1500 positions');
    expect(d.help).toContain('floor(480000 / 160) + 1 (centered STFT, hop 160) = 3001');
    expect(d.help).toContain('ceil(3001 / 2) = 1501 > 1500 positions');
    expect(d.help).toContain('a clip of at most 29.99 s');
    expect(d.help).toContain('`drop_last_frame: true`');
    expect(d.related[0].span.file).toBe('mimo:presets/whisper.yaml');
  });

  it('fits 30 s exactly with drop_last_frame, as openai/whisper does', async () => {
    const result = await runSpec(audio('audio(seconds: 30)', 'whisper("base", drop_last_frame: true)'));
    expect(problems(result)).toEqual([]);
    const sense = result.models[0].senses[0];
    expect(sense.tokens).toBe(1500);
    expect(sense.derivation.steps.map((s) => s.value)).toEqual([480000, 3001, 3000, 1500]);
  });

  it('fits 29.99 s without dropping a frame', async () => {
    const result = await runSpec(audio('audio(seconds: 29.99)', 'whisper("large-v3")'));
    expect(problems(result)).toEqual([]);
    expect(result.models[0].senses[0].tokens).toBe(1500);
  });

  it('gives the seed exactly 1024 BEATs tokens for 20.5 s', async () => {
    const result = await runSpec(audio('audio(seconds: 20.5, sample_rate: 16000)', 'beats("iter3")'));
    expect(problems(result)).toEqual([]);
    const sense = result.models[0].senses[0];
    expect(sense.tokens).toBe(1024);
    expect(sense.derivation.steps.find((s) => s.label.startsWith('fbank frames'))?.value).toBe(2048);
  });

  it('scales the BEATs window and shift with the sample rate', async () => {
    // 8 kHz: window 200, shift 80; 10 s = 80000 samples -> 1 + floor(79800 / 80) = 998 frames -> 62 x 8.
    const result = await runSpec(audio('audio(seconds: 10, sample_rate: 8000)', 'beats("iter3")'));
    expect(result.models[0].senses[0].tokens).toBe(62 * 8);
  });

  it('counts ViT tokens: frames x (patches + class token)', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b")\n  sense v {\n    input video(frames: 3, size: 224)\n    encoder clip_vit("ViT-B/32")\n    projector mlp()\n    token "<v>"\n  }\n}\n');
    expect(result.models[0].senses[0].tokens).toBe(3 * (7 * 7 + 1));
  });
});
