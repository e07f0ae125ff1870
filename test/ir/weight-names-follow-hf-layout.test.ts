/**
 * The manifest uses the one naming scheme of README.md (HF LLaVA-style prefixes and each family's
 * own checkpoint layout), with shapes in HF's storage layout.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, weightManifest, type Graph, type WeightSpec } from '../../compiler/ir/index.js';
import { gpt2Siglip, gpt2Whisper, seedAvlm, tinyAvlm } from './models.js';

function graphOf(make: () => Parameters<typeof buildGraph>[0]): Graph {
  const g = buildGraph(make()).graph;
  if (g === undefined) throw new Error('did not build');
  return g;
}

function byName(g: Graph): Map<string, WeightSpec> {
  return new Map(g.weights.map((w) => [w.name, w]));
}

describe('weight names follow the Hugging Face layouts', () => {
  it('LLaMA decoder under language_model.model, untied lm_head, GQA k/v widths', () => {
    const w = byName(graphOf(tinyAvlm));
    expect(w.get('language_model.model.embed_tokens.weight')?.shape).toEqual([258, 64]);
    expect(w.get('language_model.model.layers.0.self_attn.q_proj.weight')?.shape).toEqual([64, 64]);
    expect(w.get('language_model.model.layers.0.self_attn.k_proj.weight')?.shape).toEqual([32, 64]);
    expect(w.get('language_model.model.layers.1.mlp.gate_proj.weight')?.shape).toEqual([128, 64]);
    expect(w.get('language_model.model.layers.1.mlp.down_proj.weight')?.shape).toEqual([64, 128]);
    expect(w.get('language_model.model.layers.1.post_attention_layernorm.weight')?.init).toEqual({ kind: 'ones' });
    expect(w.get('language_model.model.norm.weight')?.shape).toEqual([64]);
    expect(w.get('language_model.lm_head.weight')?.shape).toEqual([258, 64]);
    expect(w.has('language_model.model.layers.0.self_attn.q_proj.bias')).toBe(false);
  });

  it('CLIP tower under <sense>_tower.vision_model, layers after select_layer listed but unused', () => {
    const w = byName(graphOf(tinyAvlm));
    expect(w.get('vision_tower.vision_model.embeddings.patch_embedding.weight')?.shape).toEqual([32, 3, 8, 8]);
    expect(w.has('vision_tower.vision_model.embeddings.patch_embedding.bias')).toBe(false);
    expect(w.get('vision_tower.vision_model.embeddings.class_embedding')?.shape).toEqual([32]);
    expect(w.get('vision_tower.vision_model.embeddings.position_embedding.weight')?.shape).toEqual([17, 32]);
    expect(w.get('vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight')).toMatchObject({ shape: [64, 32], used: true, frozen: true });
    expect(w.get('vision_tower.vision_model.encoder.layers.2.mlp.fc1.weight')).toMatchObject({ shape: [64, 32], used: false });
    expect(w.get('vision_tower.vision_model.post_layernorm.weight')?.used).toBe(false);
    expect(w.get('vision_projector.linear_1.weight')?.shape).toEqual([64, 32]);
    expect(w.get('vision_projector.linear_2.weight')?.shape).toEqual([64, 64]);
  });

  it('BEATs tower in the unilm layout, relative bias only in layer 0', () => {
    const w = byName(graphOf(tinyAvlm));
    expect(w.get('audio_tower.patch_embedding.weight')?.shape).toEqual([16, 1, 16, 16]);
    expect(w.get('audio_tower.post_extract_proj.weight')?.shape).toEqual([32, 16]);
    expect(w.get('audio_tower.encoder.pos_conv.0.weight_g')?.shape).toEqual([1, 1, 16]);
    expect(w.get('audio_tower.encoder.pos_conv.0.weight_v')?.shape).toEqual([32, 8, 16]);
    expect(w.get('audio_tower.encoder.layers.0.self_attn.relative_attention_bias.weight')?.shape).toEqual([32, 2]);
    expect(w.has('audio_tower.encoder.layers.1.self_attn.relative_attention_bias.weight')).toBe(false);
    expect(w.get('audio_tower.encoder.layers.1.self_attn.grep_linear.weight')?.shape).toEqual([8, 16]);
    expect(w.get('audio_tower.encoder.layers.1.self_attn.grep_a')?.shape).toEqual([1, 2, 1, 1]);
  });

  it('GPT-2 decoder with fused Conv1D c_attn [in, out] and a tied head (no lm_head entry)', () => {
    const w = byName(graphOf(gpt2Whisper));
    expect(w.get('language_model.transformer.h.0.attn.c_attn.weight')?.shape).toEqual([48, 144]);
    expect(w.get('language_model.transformer.h.1.mlp.c_fc.weight')?.shape).toEqual([48, 96]);
    expect(w.get('language_model.transformer.wpe.weight')?.shape).toEqual([128, 48]);
    expect(w.has('language_model.lm_head.weight')).toBe(false);
    const g = graphOf(gpt2Whisper);
    const head = g.nodes[g.outputs[0].node];
    expect(head.op).toBe('matmul');
    const table = g.nodes[head.inputs[1]];
    expect(table.op === 'weight' && table.attrs.name).toBe('language_model.transformer.wte.weight');
  });

  it('Whisper tower in the WhisperEncoder layout, k_proj without bias', () => {
    const w = byName(graphOf(gpt2Whisper));
    expect(w.get('speech_tower.conv1.weight')?.shape).toEqual([32, 16, 3]);
    expect(w.get('speech_tower.conv2.weight')?.shape).toEqual([32, 32, 3]);
    expect(w.get('speech_tower.embed_positions.weight')?.shape).toEqual([64, 32]);
    expect(w.has('speech_tower.layers.0.self_attn.k_proj.weight')).toBe(true);
    expect(w.has('speech_tower.layers.0.self_attn.k_proj.bias')).toBe(false);
    expect(w.has('speech_tower.layers.0.self_attn.v_proj.bias')).toBe(true);
    expect(w.get('speech_tower.layer_norm.weight')?.shape).toEqual([32]);
    expect(w.get('speech_projector.linear_1.weight')?.shape).toEqual([48, 32]);
  });

  it('SigLIP tower has a patch bias, no class token or pre-norm; untied GPT-2 has lm_head', () => {
    const w = byName(graphOf(gpt2Siglip));
    expect(w.get('image_tower.vision_model.embeddings.patch_embedding.bias')?.shape).toEqual([24]);
    expect(w.has('image_tower.vision_model.embeddings.class_embedding')).toBe(false);
    expect(w.has('image_tower.vision_model.pre_layrnorm.weight')).toBe(false);
    expect(w.get('image_tower.vision_model.embeddings.position_embedding.weight')?.shape).toEqual([16, 24]);
    expect(w.get('image_projector.linear_2.weight')?.shape).toEqual([40, 40]);
    expect(w.get('image_projector.linear_3.weight')?.shape).toEqual([32, 40]);
    expect(w.get('language_model.lm_head.weight')?.shape).toEqual([101, 32]);
  });

  it('the seed lists the decoder first, then each sense, and has HF names throughout', () => {
    const g = graphOf(seedAvlm);
    const names = g.weights.map((w) => w.name);
    expect(names[0]).toBe('language_model.model.embed_tokens.weight');
    const firstVision = names.findIndex((n) => n.startsWith('vision_tower.'));
    const firstAudio = names.findIndex((n) => n.startsWith('audio_tower.'));
    expect(names.slice(0, firstVision).every((n) => n.startsWith('language_model.'))).toBe(true);
    expect(firstAudio).toBeGreaterThan(firstVision);
    expect(names).toContain('language_model.model.layers.31.self_attn.o_proj.weight');
    expect(names).toContain('vision_tower.vision_model.encoder.layers.23.self_attn.q_proj.weight');
    for (const n of names) expect(n).toMatch(/^(language_model|vision_tower|vision_projector|audio_tower|audio_projector)\.[a-z0-9_.]+$/);
    expect(weightManifest(g).entries.length).toBe(names.length);
  });
});
