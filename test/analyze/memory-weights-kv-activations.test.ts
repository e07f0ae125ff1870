/**
 * Memory: weights at 4/2/2/1 bytes per parameter, the KV cache as 2 x layers x kv width x S x batch
 * x bytes, and the activation peak of the formula in compiler/analyze/README.md.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import { clipVit, llamaDecoder, mlpProjector, model, sense, video } from './models.js';

const llama7b = llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008 });

describe('weight memory', () => {
  it('LLaMA-2-7B weighs 4, 2, 2 and 1 bytes per parameter in float32, float16, bfloat16 and int8', () => {
    const a = analyzeModel(model(llama7b, [], { dtype: 'float16' }));
    expect(a.memory.weightsByDtype).toEqual({
      float32: 26_953_662_464n,
      float16: 13_476_831_232n,
      bfloat16: 13_476_831_232n,
      int8: 6_738_415_616n,
    });
    expect(lookupAnalysisPath(a, ['memory', 'weights'])).toBe(13_476_831_232n);
    expect(lookupAnalysisPath(a, ['memory', 'weights', 'float32'])).toBe(26_953_662_464n);
  });

  it("follows the model's dtype", () => {
    const a = analyzeModel(model(llama7b, [], { dtype: 'float32' }));
    expect(a.memory.weights).toBe(a.memory.weightsByDtype.float32);
  });
});

describe('KV cache', () => {
  // NVIDIA, "Mastering LLM Techniques: Inference Optimization" (2023): KV cache bytes =
  // batch x sequence x 2 x layers x hidden x bytes; Llama 2 7B, batch 1, 4096 tokens, 16-bit:
  // 1 x 4096 x 2 x 32 x 4096 x 2 bytes, "~2 GB".
  it('LLaMA-2-7B at 4096 tokens in 16-bit holds 2 GiB of keys and values', () => {
    const a = analyzeModel(model(llama7b, [], { textTokens: 4096, dtype: 'bfloat16' }));
    expect(lookupAnalysisPath(a, ['memory', 'kv_cache'])).toBe(2_147_483_648n);
  });

  it('grows with the batch and shrinks with grouped-query attention', () => {
    const m = model(llama7b, [], { textTokens: 1000 });
    const one = analyzeModel(m).memory.kvCache;
    expect(analyzeModel(m, { batch: 8 }).memory.kvCache).toBe(8n * one);
    const gqa = analyzeModel(model({ ...llama7b, kvHeads: 8 }, [], { textTokens: 1000 })).memory.kvCache;
    expect(gqa * 4n).toBe(one);
  });
});

describe('activations', () => {
  it('a small decoder peaks in the largest of attention, MLP and logits, per the README formula', () => {
    // S = 10, h = 8, 2 heads, ffn 16, vocab 32000 (logits dominate): S h + S V = 80 + 320000.
    const d = llamaDecoder({ layers: 1, hidden: 8, heads: 2, ffn: 16 });
    const a = analyzeModel(model(d, [], { textTokens: 10, dtype: 'float32' }));
    expect(a.memory.activations).toBe((80n + 320_000n) * 4n);
    // A tiny vocabulary leaves attention on top: 2Sh + S(h + 2h) + heads S^2 + Sh = 160 + 240 + 200 + 80.
    const small = analyzeModel(model({ ...d, vocab: 4, vocabTotal: 4 }, [], { textTokens: 10, dtype: 'float32' }));
    expect(small.memory.activations).toBe(680n * 4n);
  });

  it('scale linearly with the batch, and the total adds weights, cache and activations', () => {
    const vision = clipVit({ layers: 2, hidden: 64, heads: 4, ffn: 128, patch: 16, imageSize: 64 });
    const m = model(llamaDecoder({ layers: 2, hidden: 64, heads: 4, ffn: 128 }), [sense('v', video(4, 64), vision, mlpProjector(64, 64), 64)]);
    const one = analyzeModel(m).memory;
    const four = analyzeModel(m, { batch: 4 }).memory;
    expect(four.activations).toBe(4n * one.activations);
    expect(four.total).toBe(four.weights + four.kvCache + four.activations);
    expect(four.batch).toBe(4);
  });
});
