/**
 * FLOPs: every weight matmul costs 2 x positions x its weights, attention adds 4 x S^2 x width per
 * layer, the head computes logits at every position, and encoder layers after `select_layer` are
 * not run. Checked against the parameter tree, which is computed independently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import { audio, beatsEncoder, clipVit, llamaDecoder, mlpProjector, model, sense, video, whisperEncoder } from './models.js';

const big = (v: bigint | number | undefined): bigint => {
  if (typeof v !== 'bigint') throw new Error(`expected a bigint, got ${String(v)}`);
  return v;
};

describe('decoder FLOPs', () => {
  it('projections and MLP cost 2 x S x their weights, for any LLaMA shape (no biases)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 1, max: 40 }),
        (heads, headDim, groups, ffn, text, layers) => {
          const kvHeads = Math.max(1, Math.floor(heads / groups));
          const d = llamaDecoder({ layers, hidden: heads * headDim, heads, kvHeads, headDim, ffn });
          const a = analyzeModel(model(d, [], { textTokens: text }));
          const S = BigInt(text);
          const p = (name: string): bigint => big(lookupAnalysisPath(a, ['params', 'decoder', 'layers', name]));
          const f = (name: string): bigint => big(lookupAnalysisPath(a, ['flops', 'decoder', 'layers', name]));
          expect(f('attention')).toBe(2n * S * p('attention'));
          expect(f('mlp')).toBe(2n * S * p('mlp'));
          expect(big(lookupAnalysisPath(a, ['flops', 'decoder', 'head']))).toBe(2n * S * big(lookupAnalysisPath(a, ['params', 'decoder', 'head'])));
          // Q K^T and P V over the full S x S square, every head, every layer.
          expect(f('attention_scores')).toBe(4n * S * S * BigInt(heads * headDim) * BigInt(layers));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('LLaMA-2-7B over 4096 positions: the total is the sum of its parts', () => {
    const a = analyzeModel(model(llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008 }), [], { textTokens: 4096 }));
    const parts = ['attention', 'attention_scores', 'mlp'].map((n) => big(lookupAnalysisPath(a, ['flops', 'decoder', 'layers', n])));
    const head = big(lookupAnalysisPath(a, ['flops', 'decoder', 'head']));
    expect(a.flops.flops).toBe(parts.reduce((x, y) => x + y, 0n) + head);
    expect(lookupAnalysisPath(a, ['flops'])).toBe(a.flops.flops);
    expect(lookupAnalysisPath(a, ['flops', 'total'])).toBe(a.flops.flops);
    // By hand: layer weights 32 x (4 x 4096^2 + 3 x 4096 x 11008) x 2 x 4096 = 53.05 T,
    // scores 32 x 4 x 4096^2 x 4096 = 8.80 T, head 2 x 4096 x 32000 x 4096 = 1.07 T: 62.92 T.
    expect(a.flops.flops).toBe(53_051_436_040_192n + 8_796_093_022_208n + 1_073_741_824_000n);
  });

  it('the sequence length option changes the decoder FLOPs and nothing else', () => {
    const m = model(llamaDecoder({ layers: 2, hidden: 64, heads: 4, ffn: 128 }), [], { textTokens: 100 });
    const short = analyzeModel(m);
    const long = analyzeModel(m, { sequenceLength: 200 });
    expect(long.sequenceLength).toBe(200);
    expect(big(lookupAnalysisPath(long, ['flops', 'decoder', 'layers', 'mlp']))).toBe(2n * big(lookupAnalysisPath(short, ['flops', 'decoder', 'layers', 'mlp'])));
    expect(long.params.params).toBe(short.params.params);
  });
});

describe('encoder FLOPs', () => {
  const decoder = llamaDecoder({ layers: 1, hidden: 4096, heads: 32, ffn: 64 });

  it('CLIP runs only the layers up to select_layer, on every frame, class token included', () => {
    const all = clipVit({ layers: 24, hidden: 1024, heads: 16, ffn: 4096, patch: 14, imageSize: 224 });
    const upTo23 = { ...all, selectLayer: -2, layersUsed: 23 };
    const flops = (e: typeof all, frames: number): bigint =>
      big(lookupAnalysisPath(analyzeModel(model(decoder, [sense('v', video(frames, 224), e, mlpProjector(1024, 4096), 256 * frames)])), ['flops', 'v', 'encoder', 'layers']));
    expect(flops(upTo23, 1) * 24n).toBe(flops(all, 1) * 23n);
    expect(flops(all, 8)).toBe(8n * flops(all, 1));
    // One frame: 257 positions (256 patches + class), projections 4 x 2 x 257 x 1024^2 per layer.
    const a = analyzeModel(model(decoder, [sense('v', video(1, 224), all, mlpProjector(1024, 4096), 256)]));
    expect(lookupAnalysisPath(a, ['flops', 'v', 'encoder', 'layers', 'attention'])).toBe(24n * 8n * 257n * 1024n * 1024n);
    // The patch conv is a (256 x 588) by (588 x 1024) matmul.
    expect(lookupAnalysisPath(a, ['flops', 'v', 'encoder', 'embeddings'])).toBe(2n * 256n * 588n * 1024n);
  });

  it('the projector runs on the tokens the sense writes', () => {
    const e = clipVit({ layers: 1, hidden: 1024, heads: 16, ffn: 64, patch: 14, imageSize: 224, dropClassToken: true });
    const a = analyzeModel(model(decoder, [sense('v', video(2, 224), e, mlpProjector(1024, 4096), 512)]));
    expect(lookupAnalysisPath(a, ['flops', 'v', 'projector'])).toBe(2n * 512n * (1024n * 4096n + 4096n * 4096n));
  });

  it("Whisper: conv1 over the clip's mel frames, conv2 with stride 2, blocks over the positions", () => {
    const e = whisperEncoder({ layers: 6, hidden: 512, heads: 8, ffn: 2048 });
    const a = analyzeModel(model(decoder, [sense('a', audio(30), e, mlpProjector(512, 4096), 1500)]));
    // 30 s at 16 kHz, hop 160: 3001 STFT frames, the last dropped as openai/whisper does.
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'conv1'])).toBe(2n * 3000n * 512n * 240n);
    const kept = analyzeModel(model(decoder, [sense('a', audio(30), { ...e, dropLastFrame: false }, mlpProjector(512, 4096), 1501)]));
    expect(lookupAnalysisPath(kept, ['flops', 'a', 'encoder', 'conv1'])).toBe(2n * 3001n * 512n * 240n);
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'conv2'])).toBe(2n * 1500n * 512n * 1536n);
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'layers', 'attention_scores'])).toBe(6n * 4n * 1500n * 1500n * 512n);
  });

  it('BEATs: 16x16 patch conv, projection to the encoder width and the grouped positional conv', () => {
    const a = analyzeModel(model(decoder, [sense('a', audio(20.5), beatsEncoder(), mlpProjector(768, 4096), 1024)]));
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'patch'])).toBe(2n * 1024n * 256n * 512n);
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'post_extract_proj'])).toBe(2n * 1024n * 512n * 768n);
    expect(lookupAnalysisPath(a, ['flops', 'a', 'encoder', 'pos_conv'])).toBe(2n * 1024n * 48n * 128n * 768n);
  });
});
