/**
 * The runtime's block configs are structural subsets of the checked model's types, so generated
 * code can pass `config.decoder` / an encoder / a projector straight through (this file fails to
 * type-check otherwise), and a block runs with such a config.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BeatsEncoder, DecoderConfig, Projector, VitEncoder, WhisperEncoder } from '../../../compiler/model/types.js';
import {
  initBackend,
  llamaBlock,
  loadLlamaBlockWeights,
  tf,
  type BeatsFrontConfig,
  type BeatsLayerConfig,
  type DecoderBlockConfig,
  type EncoderLayerConfig,
  type MlpProjectorConfig,
  type VitEmbeddingsConfig,
  type WhisperFrontConfig,
} from '../../../runtime/index.js';

const decoder: DecoderConfig = {
  family: 'llama', preset: undefined, layers: 1, hidden: 8, heads: 2, kvHeads: 1, headDim: 4, ffn: 12, vocab: 10, vocabTotal: 10,
  context: 16, norm: { kind: 'rmsnorm', eps: 1e-5 }, mlp: 'swiglu', activation: 'silu', position: { kind: 'rope', theta: 10000 },
  tiedEmbeddings: false, attentionBias: false, mlpBias: false, frozen: true,
};

// Compile-time: each checked-model type is accepted where the runtime expects its own config.
const asDecoder: DecoderBlockConfig = decoder;
const vitLayer = (e: VitEncoder): [EncoderLayerConfig, VitEmbeddingsConfig] => [e, e];
const whisper = (e: WhisperEncoder): [EncoderLayerConfig, WhisperFrontConfig] => [e, e];
const beats = (e: BeatsEncoder): [BeatsLayerConfig, BeatsFrontConfig] => [e, e];
const projector = (p: Extract<Projector, { kind: 'mlp' }>): MlpProjectorConfig => p;

describe('checked-model configs', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('drive a LLaMA block directly', async () => {
    expect([vitLayer, whisper, beats, projector].every((f) => typeof f === 'function')).toBe(true);
    const shapes: Record<string, number[]> = {
      'input_layernorm.weight': [8], 'self_attn.q_proj.weight': [8, 8], 'self_attn.k_proj.weight': [4, 8], 'self_attn.v_proj.weight': [4, 8],
      'self_attn.o_proj.weight': [8, 8], 'post_attention_layernorm.weight': [8], 'mlp.gate_proj.weight': [12, 8], 'mlp.up_proj.weight': [12, 8],
      'mlp.down_proj.weight': [8, 12],
    };
    const source = new Map(Object.entries(shapes).map(([n, s], i) => [n, tf.randomNormal(s, 0, 0.3, 'float32', i + 1)]));
    const out = llamaBlock(tf.randomNormal([1, 5, 8], 0, 1, 'float32', 99) as tf.Tensor3D, loadLlamaBlockWeights(source, '', decoder), asDecoder);
    expect(out.hidden.shape).toEqual([1, 5, 8]);
    expect(out.present.key.shape).toEqual([1, 5, 4]);
    expect(Array.from(await out.hidden.data()).every(Number.isFinite)).toBe(true);
  });
});
