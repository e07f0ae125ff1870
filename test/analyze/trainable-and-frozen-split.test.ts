/**
 * Trainable vs frozen: frozen modules count as frozen, the rest as trainable, Whisper's stored
 * position table is never trainable, and the two always add up to the total.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import { audio, clipVit, llamaDecoder, mlpProjector, model, sense, video, whisperEncoder } from './models.js';

const decoder = llamaDecoder({ layers: 2, hidden: 64, heads: 4, ffn: 128 });

describe('trainable and frozen parameters', () => {
  it('a frozen encoder is frozen and its projector and the decoder are trainable', () => {
    const vision = clipVit({ layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 16, imageSize: 32, frozen: true });
    const a = analyzeModel(model(decoder, [sense('vision', video(2, 32), vision, mlpProjector(32, 64), 10)]));
    const get = (...path: string[]): bigint | number | undefined => lookupAnalysisPath(a, ['params', ...path]);
    expect(get('vision', 'encoder', 'trainable')).toBe(0n);
    expect(get('vision', 'encoder', 'frozen')).toBe(get('vision', 'encoder'));
    expect(get('frozen')).toBe(get('vision', 'encoder'));
    expect(get('trainable')).toBe((get('decoder') as bigint) + (get('vision', 'projector') as bigint));
    expect((get('trainable') as bigint) + (get('frozen') as bigint)).toBe(get('total'));
  });

  it('a frozen decoder leaves only the senses trainable', () => {
    const vision = clipVit({ layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 16, imageSize: 32 });
    const a = analyzeModel(model({ ...decoder, frozen: true }, [sense('vision', video(1, 32), vision, mlpProjector(32, 64), 4)]));
    expect(lookupAnalysisPath(a, ['params', 'trainable'])).toBe(lookupAnalysisPath(a, ['params', 'vision']));
    expect(lookupAnalysisPath(a, ['params', 'frozen'])).toBe(lookupAnalysisPath(a, ['params', 'decoder']));
  });

  it("Whisper's position table is stored but never trainable, even in a trainable encoder", () => {
    const e = whisperEncoder({ layers: 1, hidden: 16, heads: 2, ffn: 32, positions: 1500 });
    const a = analyzeModel(model(decoder, [sense('audio', audio(30), e, mlpProjector(16, 64), 1500)]));
    expect(lookupAnalysisPath(a, ['params', 'audio', 'encoder', 'positions'])).toBe(1500n * 16n);
    expect(lookupAnalysisPath(a, ['params', 'audio', 'encoder', 'positions', 'trainable'])).toBe(0n);
    expect(lookupAnalysisPath(a, ['params', 'audio', 'encoder', 'frozen'])).toBe(1500n * 16n);
  });

  it('a frozen projector is counted as frozen', () => {
    const vision = clipVit({ layers: 1, hidden: 32, heads: 2, ffn: 64, patch: 16, imageSize: 32 });
    const projector = mlpProjector(32, 64, 2, { frozen: true });
    const a = analyzeModel(model(decoder, [sense('vision', video(1, 32), vision, projector, 4)]));
    expect(lookupAnalysisPath(a, ['params', 'vision', 'projector', 'trainable'])).toBe(0n);
    expect(lookupAnalysisPath(a, ['params', 'frozen'])).toBe(lookupAnalysisPath(a, ['params', 'vision', 'projector']));
  });
});
