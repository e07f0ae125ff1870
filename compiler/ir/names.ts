/**
 * The weight naming scheme (README.md, "Weight names"), in one place for the IR and the code
 * generator: where each part of a model lives in a checkpoint. Prefixes end with a dot so that
 * `prefix + 'layers.0.fc1.weight'` is a full name.
 */
import type { DecoderConfig, Encoder } from '../model/types.js';

/** The decoder, as `LlavaForConditionalGeneration.language_model`. */
export const DECODER_ROOT = 'language_model';

/** A sense's encoder: `vision_tower`, `audio_tower`. */
export function towerRoot(sense: string): string {
  return `${sense}_tower`;
}

/** A sense's projector: `vision_projector` (HF LLaVA's `multi_modal_projector`). */
export function projectorRoot(sense: string): string {
  return `${sense}_projector`;
}

/** Projector linears `linear_1 … linear_n`. */
export function projectorLinearNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `linear_${i + 1}`);
}

/** Where a family's own layout starts inside the decoder root: `model.` (LLaMA) or `transformer.` (GPT-2). */
export function decoderBody(d: Pick<DecoderConfig, 'family'>): string {
  return d.family === 'gpt2' ? 'transformer' : 'model';
}

/** Prefix of decoder layer `i`: `language_model.model.layers.3.` / `language_model.transformer.h.3.`. */
export function decoderLayerPrefix(d: Pick<DecoderConfig, 'family'>, i: number): string {
  return `${DECODER_ROOT}.${decoderBody(d)}.${d.family === 'gpt2' ? 'h' : 'layers'}.${i}.`;
}

/** Prefix of encoder layer `i` inside a sense's tower. */
export function encoderLayerPrefix(sense: string, e: Pick<Encoder, 'family'>, i: number): string {
  const inner = e.family === 'whisper' ? 'layers' : e.family === 'beats' ? 'encoder.layers' : 'vision_model.encoder.layers';
  return `${towerRoot(sense)}.${inner}.${i}.`;
}
