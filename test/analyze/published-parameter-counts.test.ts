/**
 * Acceptance: parameter counts equal published exact totals, to the unit. Each expected value is
 * copied from the source named beside it (never computed here); the configs are the published
 * hyper-parameters of each checkpoint.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, lookupAnalysisPath } from '../../compiler/analyze/index.js';
import type { Encoder, Projector } from '../../compiler/model/types.js';
import {
  audio,
  beatsEncoder,
  clipVit,
  gpt2Decoder,
  image,
  llamaDecoder,
  mlpProjector,
  model,
  sense,
  siglipVit,
  whisperEncoder,
} from './models.js';

const total = (m: Parameters<typeof analyzeModel>[0]): bigint => analyzeModel(m).params.params;

/** A small decoder plus one sense, to read the encoder's own count at `params.s.encoder`. */
function encoderCount(encoder: Encoder, projector: Projector = mlpProjector(encoder.hidden, 64)): bigint | number | undefined {
  const input = encoder.family === 'whisper' || encoder.family === 'beats' ? audio(10) : image(224);
  const m = model(llamaDecoder({ layers: 1, hidden: 64, heads: 1, ffn: 64 }), [sense('s', input, encoder, projector, 16)], {
    textTokens: 16,
  });
  return lookupAnalysisPath(analyzeModel(m), ['params', 's', 'encoder']);
}

describe('decoders match published totals', () => {
  // keras-team/keras-hub keras_hub/src/models/gpt2/gpt2_presets.py, "params" of each preset.
  it('GPT-2 small (gpt2_base_en) has 124,439,808 parameters', () => {
    expect(total(model(gpt2Decoder({ layers: 12, hidden: 768, heads: 12, ffn: 3072 })))).toBe(124_439_808n);
  });
  it('GPT-2 medium (gpt2_medium_en) has 354,823,168 parameters', () => {
    expect(total(model(gpt2Decoder({ layers: 24, hidden: 1024, heads: 16, ffn: 4096 })))).toBe(354_823_168n);
  });
  it('GPT-2 large (gpt2_large_en) has 774,030,080 parameters', () => {
    expect(total(model(gpt2Decoder({ layers: 36, hidden: 1280, heads: 20, ffn: 5120 })))).toBe(774_030_080n);
  });
  it('GPT-2 xl (gpt2_extra_large_en) has 1,557,611,200 parameters', () => {
    expect(total(model(gpt2Decoder({ layers: 48, hidden: 1600, heads: 25, ffn: 6400 })))).toBe(1_557_611_200n);
  });

  // keras-team/keras-hub keras_hub/src/models/llama/llama_presets.py: llama2_7b_en and
  // vicuna_1.5_7b_en both list "params": 6738415616.
  it('LLaMA-2-7B / Vicuna-7B v1.5 has 6,738,415,616 parameters', () => {
    expect(total(model(llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008 })))).toBe(6_738_415_616n);
  });

  // LoRAM (Zhang et al., "Train Small, Infer Large", ICLR 2025), Table 4: "#Orig. Params"
  // of LLaMA-2-13B = 13015864320; the same figure is DeepSpeed's "13015864320 elements" when it
  // reconstructs a vicuna-13b state dict.
  it('LLaMA-2-13B has 13,015,864,320 parameters', () => {
    expect(total(model(llamaDecoder({ layers: 40, hidden: 5120, heads: 40, ffn: 13824 })))).toBe(13_015_864_320n);
  });

  // keras-team/keras-hub keras_hub/src/models/llama3/llama3_presets.py: llama3_8b_en
  // "params": 8030261248. Grouped-query attention: 8 kv heads of 128.
  it('Llama-3-8B (GQA, 8 kv heads) has 8,030,261,248 parameters', () => {
    const d = llamaDecoder({ layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256, context: 8192 });
    expect(total(model(d))).toBe(8_030_261_248n);
  });

  // ModelCloud/GPTQModel tests/test_parameter_count.py: LLAMA_3_2_1B_PARAMETER_COUNT = 1235814400
  // (tied embeddings, 8 kv heads of 64).
  it('Llama-3.2-1B (GQA, tied head) has 1,235,814,400 parameters', () => {
    const d = llamaDecoder({
      layers: 16,
      hidden: 2048,
      heads: 32,
      kvHeads: 8,
      ffn: 8192,
      vocab: 128256,
      tiedEmbeddings: true,
    });
    expect(total(model(d))).toBe(1_235_814_400n);
  });
});

describe('encoders match published totals', () => {
  // tanganke/fusion_bench docs/modelpool/clip_vit.md, "Inspection of Model Information":
  // CLIPVisionModel of openai/clip-vit-base-patch32 reports all_params 87456000 and of
  // openai/clip-vit-large-patch14 303179776.
  it('CLIP ViT-B/32 vision tower has 87,456,000 parameters', () => {
    expect(encoderCount(clipVit({ layers: 12, hidden: 768, heads: 12, ffn: 3072, patch: 32, imageSize: 224 }))).toBe(87_456_000n);
  });
  it('CLIP ViT-L/14 vision tower has 303,179,776 parameters (layers after select_layer included)', () => {
    const e = clipVit({ layers: 24, hidden: 1024, heads: 16, ffn: 4096, patch: 14, imageSize: 224, selectLayer: -2, layersUsed: 23 });
    expect(encoderCount(e)).toBe(303_179_776n);
  });

  // google/siglip-so400m-patch14-384 vision tower without its attention-pooling head:
  // 412,987,248, tabulated module by module for moondream2's SigLIP (patch 678,528, positions
  // 839,808, 27 blocks 411,466,608, final LayerNorm 2,304) and listed for HunyuanVideo 1.5's SigLIP.
  it('SigLIP so400m/14-384 vision tower (no pooling head) has 412,987,248 parameters', () => {
    expect(encoderCount(siglipVit({ layers: 27, hidden: 1152, heads: 16, ffn: 4304, patch: 14, imageSize: 384 }))).toBe(412_987_248n);
  });

  // Hugging Face WhisperEncoder counts (sum of numel, the 1500 x d position table included)
  // reported in public projects: tiny 8,208,384 and base 20,590,592 (frozen-encoder fine-tuning
  // tables), small 88,154,112 (an audio-encoder comparison of openai/whisper-small.en), large-v3
  // 636,968,960 (a large-v3 fine-tuning report: "Encoder parameters 636,968,960"; whisper.cpp
  // integrations quote the same for large-v3-turbo's identical encoder).
  it('Whisper tiny encoder has 8,208,384 parameters', () => {
    expect(encoderCount(whisperEncoder({ layers: 4, hidden: 384, heads: 6, ffn: 1536 }))).toBe(8_208_384n);
  });
  it('Whisper base encoder has 20,590,592 parameters', () => {
    expect(encoderCount(whisperEncoder({ layers: 6, hidden: 512, heads: 8, ffn: 2048 }))).toBe(20_590_592n);
  });
  it('Whisper small encoder has 88,154,112 parameters', () => {
    expect(encoderCount(whisperEncoder({ layers: 12, hidden: 768, heads: 12, ffn: 3072 }))).toBe(88_154_112n);
  });
  it('Whisper large-v3 encoder (128 mel bins) has 636,968,960 parameters', () => {
    expect(encoderCount(whisperEncoder({ layers: 32, hidden: 1280, heads: 20, ffn: 5120, melBins: 128 }))).toBe(636_968_960n);
  });

  // BEATs_iter3_plus_AS2M without its classifier: "90,311,792 parameters, no classification
  // head", measured on the checkpoint loaded into microsoft/unilm beats/BEATs.py (review
  // baselines of an audio-classification project).
  it('BEATs iter3 has 90,311,792 parameters', () => {
    expect(encoderCount(beatsEncoder())).toBe(90_311_792n);
  });
});

describe('a whole multimodal model matches its published total', () => {
  // llava-hf/llava-1.5-7b-hf: `sum(p.numel() for p in model.parameters())  # 7063427072`
  // (N. Nethercott, "Training LLaVA on GPT-4 annotated data", 2024). CLIP ViT-L/14-336 tower
  // (stored whole, though LLaVA reads layer -2), mlp2x_gelu projector 1024 -> 4096 -> 4096,
  // Vicuna-7B with its embedding and head resized to 32064 rows.
  it('LLaVA-1.5-7B has 7,063,427,072 parameters', () => {
    const vision = clipVit({
      layers: 24,
      hidden: 1024,
      heads: 16,
      ffn: 4096,
      patch: 14,
      imageSize: 336,
      selectLayer: -2,
      layersUsed: 23,
      dropClassToken: true,
      frozen: true,
    });
    const decoder = llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008, vocabTotal: 32064 });
    const m = model(decoder, [sense('image', image(336), vision, mlpProjector(1024, 4096), 576, { text: '<image>' })]);
    expect(total(m)).toBe(7_063_427_072n);
  });
});
