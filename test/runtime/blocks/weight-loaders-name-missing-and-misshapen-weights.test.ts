/**
 * The HF-named loaders read exactly the names the README documents, check shapes against the
 * config, own what they return (disposing it leaves the source intact), and report a missing or
 * misshapen tensor by its full checkpoint name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightError, disposeWeights, initBackend, loadLlamaBlockWeights, loadWhisperEncoderLayerWeights, tf, type DecoderBlockConfig } from '../../../runtime/index.js';

const llama: DecoderBlockConfig & { ffn: number } = {
  hidden: 8, heads: 2, kvHeads: 1, headDim: 4, ffn: 12, norm: { eps: 1e-5 }, activation: 'silu', position: { kind: 'rope', theta: 10000 },
};

function llamaSource(prefix: string): Map<string, tf.Tensor> {
  const shapes: Record<string, number[]> = {
    'input_layernorm.weight': [8], 'self_attn.q_proj.weight': [8, 8], 'self_attn.k_proj.weight': [4, 8], 'self_attn.v_proj.weight': [4, 8],
    'self_attn.o_proj.weight': [8, 8], 'post_attention_layernorm.weight': [8], 'mlp.gate_proj.weight': [12, 8], 'mlp.up_proj.weight': [12, 8],
    'mlp.down_proj.weight': [8, 12],
  };
  return new Map(Object.entries(shapes).map(([name, shape]) => [prefix + name, tf.randomNormal(shape, 0, 1, 'float32', 1)]));
}

describe('weight loaders', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('load LLaMA weights under a prefix, transposing linears to [in, out]', () => {
    const source = llamaSource('model.layers.3.');
    const w = loadLlamaBlockWeights(source, 'model.layers.3.', llama);
    expect(w.self_attn.k_proj.kernel.shape).toEqual([8, 4]);
    expect(w.mlp.down_proj.kernel.shape).toEqual([12, 8]);
    expect(w.self_attn.q_proj.bias).toBeNull();
    disposeWeights(w);
    expect(w.self_attn.k_proj.kernel.isDisposed).toBe(true);
    for (const t of source.values()) expect(t.isDisposed).toBe(false);
  });

  it('name a missing tensor by its full HF name and expected shape', () => {
    const source = llamaSource('model.layers.0.');
    source.delete('model.layers.0.mlp.up_proj.weight');
    const load = () => loadLlamaBlockWeights(source, 'model.layers.0.', llama);
    expect(load).toThrow(WeightError);
    expect(load).toThrow("missing weight 'model.layers.0.mlp.up_proj.weight' (expected shape [12, 8])");
  });

  it('name a misshapen tensor with both shapes (here: kv heads mistaken for heads)', () => {
    const source = llamaSource('');
    expect(() => loadLlamaBlockWeights(source, '', { ...llama, kvHeads: 2 })).toThrow(
      "weight 'self_attn.k_proj.weight' has shape [4, 8] but the model config implies [8, 8]",
    );
  });

  it("require Whisper's k_proj to have no bias but q/v/out to have one", () => {
    const d = 4;
    const names: Record<string, number[]> = {
      'self_attn_layer_norm.weight': [d], 'self_attn_layer_norm.bias': [d], 'final_layer_norm.weight': [d], 'final_layer_norm.bias': [d],
      'self_attn.q_proj.weight': [d, d], 'self_attn.k_proj.weight': [d, d], 'self_attn.v_proj.weight': [d, d], 'self_attn.v_proj.bias': [d],
      'self_attn.out_proj.weight': [d, d], 'self_attn.out_proj.bias': [d], 'fc1.weight': [8, d], 'fc1.bias': [8], 'fc2.weight': [d, 8], 'fc2.bias': [d],
    };
    const source = new Map(Object.entries(names).map(([n, s]) => [n, tf.ones(s)]));
    expect(() => loadWhisperEncoderLayerWeights(source, '', { hidden: d, heads: 2, normEps: 1e-5, ffn: 8 })).toThrow("missing weight 'self_attn.q_proj.bias'");
    source.set('self_attn.q_proj.bias', tf.ones([d]));
    const w = loadWhisperEncoderLayerWeights(source, '', { hidden: d, heads: 2, normEps: 1e-5, ffn: 8 });
    expect(w.self_attn.k_proj.bias).toBeNull();
  });
});
