/**
 * What the IR cannot express is a diagnostic with a code, a span and a help text, never a crash:
 * a ViT input size without positions, pooling that keeps the class token, a GPT-2 with a gated
 * MLP, an encoder on the wrong input kind, and a token count that disagrees with the checker.
 */
import { describe, expect, it } from 'vitest';
import type { Span } from '../../compiler/diagnostics/types.js';
import { buildGraph } from '../../compiler/ir/index.js';
import type { CheckedModel, Sense, VitEncoder } from '../../compiler/model/types.js';
import { audio, clipVit } from '../analyze/models.js';
import { gpt2Whisper, tinyAvlm } from './models.js';

const span: Span = { file: 'm.mimo', offset: 0, line: 3, column: 5, endOffset: 4, endLine: 3, endColumn: 9 };

function withSpans(m: CheckedModel, paths: readonly string[]): CheckedModel {
  return { ...m, spans: new Map(paths.map((p) => [p, span])) };
}

function editVision(m: CheckedModel, change: (s: Sense) => Sense): CheckedModel {
  return { ...m, senses: m.senses.map((s) => (s.name === 'vision' ? change(s) : s)) };
}

function only(m: CheckedModel) {
  const r = buildGraph(m);
  expect(r.graph).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  const d = r.diagnostics[0];
  expect(d.severity).toBe('error');
  expect(d.help).toBeTruthy();
  return d;
}

describe('lowering diagnostics', () => {
  it('MIMO4001: the input size gives a grid the position table does not cover', () => {
    const m = editVision(withSpans(tinyAvlm(), ['senses.vision.input.size']), (s) => ({ ...s, input: { kind: 'video', frames: 2, size: 48, channels: 3 } }));
    const d = only(m);
    expect(d.code).toBe('MIMO4001');
    expect(d.message).toBe('the `vision` encoder has positions for a 4x4 patch grid, but a 48px input gives 6x6');
    expect(d.span).toEqual(span);
  });

  it('MIMO4002: pooling while keeping the class token', () => {
    const m = editVision(tinyAvlm(), (s) => ({ ...s, encoder: { ...(s.encoder as VitEncoder), dropClassToken: false, poolStride: 2 } }));
    expect(only(m).code).toBe('MIMO4002');
  });

  it('MIMO4003: the checker counted different tokens (span from the nearest recorded ancestor)', () => {
    const m = editVision(withSpans(tinyAvlm(), ['senses.vision']), (s) => ({ ...s, tokens: s.tokens + 1 }));
    const d = only(m);
    expect(d.code).toBe('MIMO4003');
    expect(d.message).toBe('the `vision` encoder computes 32 tokens, but the checker counted 33');
    expect(d.span).toEqual(span);
  });

  it('MIMO4004: GPT-2 layout with a SwiGLU MLP', () => {
    const m = gpt2Whisper();
    const d = only({ ...m, decoder: { ...m.decoder, mlp: 'swiglu' } });
    expect(d.code).toBe('MIMO4004');
    expect(d.message).toContain('gated (SwiGLU) MLP');
  });

  it('MIMO4005: a ViT on an audio input', () => {
    const enc = clipVit({ layers: 1, hidden: 32, heads: 2, ffn: 64, patch: 8, imageSize: 32 });
    const d = only(editVision(tinyAvlm(), (s) => ({ ...s, input: audio(1), encoder: enc })));
    expect(d.code).toBe('MIMO4005');
    expect(d.message).toBe('the `vision` encoder `clip_vit` cannot read audio input');
  });
});
