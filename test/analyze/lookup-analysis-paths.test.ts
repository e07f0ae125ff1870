/**
 * `lookupAnalysisPath` answers every documented path (the ones user asserts use) and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { analysisPaths, analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import { audio, clipVit, llamaDecoder, mlpProjector, model, sense, video, whisperEncoder } from './models.js';

const a = analyzeModel(
  model(
    llamaDecoder({ layers: 2, hidden: 64, heads: 4, ffn: 128 }),
    [
      sense('vision', video(2, 32), clipVit({ layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 16, imageSize: 32, frozen: true }), mlpProjector(32, 64), 8),
      sense('audio', audio(1), whisperEncoder({ layers: 1, hidden: 16, heads: 2, ffn: 32, positions: 50 }), mlpProjector(16, 64), 50),
    ],
    { textTokens: 100 },
  ),
);
const at = (path: string): bigint | number | undefined => lookupAnalysisPath(a, path.split('.'));

describe('lookupAnalysisPath', () => {
  it('params, params.total, params.trainable and params.frozen', () => {
    expect(at('params')).toBe(a.params.params);
    expect(at('params.total')).toBe(a.params.params);
    expect(at('params.trainable')).toBe(a.params.trainable);
    expect(at('params.frozen')).toBe(a.params.params - a.params.trainable);
  });

  it('params of any module, and its trainable and frozen parts', () => {
    const vision = a.params.children.find((c) => c.name === 'vision');
    expect(at('params.vision')).toBe(vision?.params);
    expect(at('params.vision.encoder.trainable')).toBe(0n);
    expect(at('params.decoder.layers.mlp')).toBe(2n * 3n * 64n * 128n);
    expect(at('params.decoder.layers.mlp.frozen')).toBe(0n);
  });

  it('tokens per sense, text, total and the sequence length', () => {
    expect(at('tokens.vision')).toBe(8);
    expect(at('tokens.audio')).toBe(50);
    expect(at('tokens.text')).toBe(100);
    expect(at('tokens')).toBe(158);
    expect(at('tokens.total')).toBe(158);
    expect(at('sequence_length')).toBe(158);
  });

  it('flops and memory', () => {
    expect(at('flops')).toBe(a.flops.flops);
    expect(at('flops.audio.encoder.conv1')).toBe(2n * 100n * 16n * 240n);
    expect(at('memory')).toBe(a.memory.total);
    expect(at('memory.weights')).toBe(a.memory.weights);
    expect(at('memory.weights.int8')).toBe(a.params.params);
    expect(at('memory.kv_cache')).toBe(a.memory.kvCache);
    expect(at('memory.activations')).toBe(a.memory.activations);
  });

  it('unknown paths give undefined', () => {
    for (const path of ['', 'param', 'params.nose', 'params.vision.encoder.x.y', 'tokens.smell', 'tokens.vision.x', 'sequence_length.x', 'flops.brain', 'memory.weights.int4', 'memory.toString', 'memory.weights.toString', 'memory.kv']) {
      expect(at(path), path).toBeUndefined();
    }
  });

  it('analysisPaths lists only paths that resolve', () => {
    const paths = analysisPaths(a);
    expect(paths).toContain('params.vision.encoder.layers.attention');
    expect(paths).toContain('tokens.audio');
    for (const path of paths) expect(at(path), path).toBeDefined();
  });
});
