/**
 * Token layout: each placeholder expands to its sense's tokens where it appears in the prompt,
 * text takes the budget (or what a counter says), and missing or repeated placeholders are told.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, layoutPrompt } from '../../compiler/analyze/index.js';
import { audio, beatsEncoder, clipVit, llamaDecoder, mlpProjector, model, sense, video } from './models.js';

const vision = clipVit({ layers: 24, hidden: 1024, heads: 16, ffn: 4096, patch: 14, imageSize: 224, dropClassToken: true });
const seed = model(
  llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008, vocabTotal: 32002 }),
  [
    sense('vision', video(8, 224), vision, mlpProjector(1024, 4096), 2048, { text: '<video>', id: 32000 }),
    sense('audio', audio(20.5), beatsEncoder(), mlpProjector(768, 4096), 1024, { text: '<audio>', id: 32001 }),
  ],
  { textTokens: 512 },
);

describe('token layout', () => {
  it('without a prompt: the senses in declaration order, then the text budget', () => {
    const layout = analyzeModel(seed).layout;
    expect(layout.spans).toEqual([
      { kind: 'sense', sense: 'vision', placeholder: '<video>', start: 0, end: 2048 },
      { kind: 'sense', sense: 'audio', placeholder: '<audio>', start: 2048, end: 3072 },
      { kind: 'text', text: '[512 text tokens]', start: 3072, end: 3584 },
    ]);
    expect(layout.length).toBe(seed.sequenceLength);
    expect(layout.problems).toEqual([]);
  });

  it('`<video> <audio> What instrument is playing?` puts video, then audio, then the question', () => {
    const layout = layoutPrompt(seed, '<video> <audio> What instrument is playing?');
    expect(layout.spans.map((s) => [s.kind === 'sense' ? s.sense : s.text, s.start, s.end])).toEqual([
      ['vision', 0, 2048],
      ['audio', 2048, 3072],
      ['What instrument is playing?', 3072, 3584],
    ]);
  });

  it('the order of the placeholders decides the order of the senses', () => {
    const layout = layoutPrompt(seed, 'Listen: <audio> then watch: <video> Which came first?');
    expect(layout.spans.map((s) => [s.kind === 'sense' ? s.sense : s.text, s.start, s.end])).toEqual([
      ['Listen:', 0, 170],
      ['audio', 170, 1194],
      ['then watch:', 1194, 1364],
      ['vision', 1364, 3412],
      ['Which came first?', 3412, 3584],
    ]);
  });

  it('a tokenizer-like counter sizes the text runs', () => {
    const words = (text: string): number => text.trim().split(/\s+/).length;
    const layout = layoutPrompt(seed, 'USER: <video> <audio> What instrument is playing? ASSISTANT:', words);
    expect(layout.spans.map((s) => s.end - s.start)).toEqual([1, 2048, 1024, 5]);
    expect(layout.length).toBe(3078);
  });

  it('a prompt of placeholders only is followed by the text budget', () => {
    const layout = layoutPrompt(seed, '<audio><video>');
    expect(layout.spans.map((s) => (s.kind === 'sense' ? s.sense : 'text'))).toEqual(['audio', 'vision', 'text']);
    expect(layout.length).toBe(3584);
  });

  it('a missing placeholder and a repeated one are reported', () => {
    const layout = layoutPrompt(seed, '<video> and again <video>?');
    expect(layout.problems).toEqual([
      '`<video>` appears more than once; sense `vision` supplies embeddings for one occurrence, so the others are not expanded',
      '`<audio>` does not appear in the prompt, so the 1024 tokens of sense `audio` have no place',
    ]);
  });

  it('a layout longer than the context is reported', () => {
    const layout = layoutPrompt(seed, '<video> <audio> long', () => 5000);
    expect(layout.problems).toEqual(["the prompt takes 8072 positions, more than the decoder's context of 4096"]);
  });
});
