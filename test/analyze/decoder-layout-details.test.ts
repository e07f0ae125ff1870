/**
 * The decoder layouts' details, each against the Hugging Face shapes: tied heads count once,
 * placeholder tokens added to the vocabulary grow the embedding (and an untied head) by a row each,
 * grouped-query attention narrows k and v, and projectors of any depth count their linears.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import { affineProjector, clipVit, gpt2Decoder, image, llamaDecoder, mlpProjector, model, sense } from './models.js';

const params = (m: Parameters<typeof analyzeModel>[0], ...path: string[]): bigint | number | undefined =>
  lookupAnalysisPath(analyzeModel(m), ['params', ...path]);

describe('decoder modules', () => {
  it('a tied head stores nothing of its own', () => {
    const d = gpt2Decoder({ layers: 12, hidden: 768, heads: 12, ffn: 3072 });
    expect(params(model(d), 'decoder', 'head')).toBe(0n);
    // GPT-2's wte is 50257 x 768 and wpe 1024 x 768 (openai-community/gpt2).
    expect(params(model(d), 'decoder', 'embeddings', 'tokens')).toBe(38_597_376n);
    expect(params(model(d), 'decoder', 'embeddings', 'positions')).toBe(786_432n);
  });

  it('added placeholder tokens add one row to the embedding and to an untied head', () => {
    const base = llamaDecoder({ layers: 1, hidden: 4096, heads: 32, ffn: 11008 });
    const grown = { ...base, vocabTotal: 32002 };
    const before = analyzeModel(model(base)).params.params;
    const after = analyzeModel(model(grown)).params.params;
    expect(after - before).toBe(2n * 2n * 4096n);
    expect(params(model(grown), 'decoder', 'head')).toBe(32002n * 4096n);
  });

  it('grouped-query attention gives k and v kv_heads x head_dim outputs', () => {
    const mha = llamaDecoder({ layers: 1, hidden: 512, heads: 8, ffn: 1024 });
    const gqa = { ...mha, kvHeads: 2 };
    // q and o stay 512 x 512; k and v shrink from 512 x 512 to 512 x 128 each.
    expect(params(model(gqa), 'decoder', 'layers', 'attention')).toBe(2n * 512n * 512n + 2n * 512n * 128n);
    expect(params(model(mha), 'decoder', 'layers', 'attention')).toBe(4n * 512n * 512n);
  });

  it('RMSNorm stores a scale only; LayerNorm a scale and a shift', () => {
    const llama = llamaDecoder({ layers: 3, hidden: 64, heads: 4, ffn: 128 });
    expect(params(model(llama), 'decoder', 'layers', 'norms')).toBe(3n * 2n * 64n);
    expect(params(model(llama), 'decoder', 'final_norm')).toBe(64n);
    const gpt = gpt2Decoder({ layers: 3, hidden: 64, heads: 4, ffn: 128 });
    expect(params(model(gpt), 'decoder', 'layers', 'norms')).toBe(3n * 4n * 64n);
  });
});

describe('projectors', () => {
  const vision = clipVit({ layers: 1, hidden: 1024, heads: 16, ffn: 64, patch: 14, imageSize: 28 });
  const withProjector = (p: Parameters<typeof sense>[3]) => model(llamaDecoder({ layers: 1, hidden: 4096, heads: 32, ffn: 64 }), [sense('v', image(28), vision, p, 4)]);

  it("LLaVA's mlp2x_gelu (1024 -> 4096 -> 4096, biases) has 20,979,712 parameters", () => {
    // 1024*4096 + 4096 + 4096*4096 + 4096, the two nn.Linear of haotian-liu/LLaVA's builder.py.
    expect(params(withProjector(mlpProjector(1024, 4096)), 'v', 'projector')).toBe(20_979_712n);
  });
  it('depth 3 adds a hidden -> hidden linear', () => {
    const two = params(withProjector(mlpProjector(1024, 4096, 2)), 'v', 'projector') as bigint;
    const three = params(withProjector(mlpProjector(1024, 4096, 3)), 'v', 'projector') as bigint;
    expect(three - two).toBe(4096n * 4096n + 4096n);
  });
  it('depth 1 is a single linear', () => {
    expect(params(withProjector(mlpProjector(1024, 4096, 1)), 'v', 'projector')).toBe(1024n * 4096n + 4096n);
  });
  it('an affine projector is one linear with bias', () => {
    expect(params(withProjector(affineProjector(1024, 4096)), 'v', 'projector')).toBe(1024n * 4096n + 4096n);
  });
  it("Megatron's mlp with an ffn width goes in -> ffn -> out", () => {
    const p = mlpProjector(512, 4096, 2, { hiddenWidth: 11008 });
    expect(params(withProjector(p), 'v', 'projector')).toBe(512n * 11008n + 11008n + 11008n * 4096n + 4096n);
  });
});
