import { tf } from '../backend/tf.js';
import { patchEmbedding, type PatchEmbeddingWeights } from '../layers/patch.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `CLIPVisionEmbeddings` parameters (names under `vision_model.embeddings.`). */
export interface ClipVisionEmbeddingsWeights {
  /** `patch_embedding.weight` `[D, C, p, p]`, no bias. */
  readonly patch_embedding: PatchEmbeddingWeights;
  /** `class_embedding` `[D]`. */
  readonly class_embedding: tf.Tensor1D;
  /** `position_embedding.weight` `[1 + patches, D]`. */
  readonly position_embedding: tf.Tensor2D;
}

/** HF `SiglipVisionEmbeddings` parameters: patch conv with bias, positions `[patches, D]`, no class token. */
export interface SiglipVisionEmbeddingsWeights {
  readonly patch_embedding: PatchEmbeddingWeights;
  readonly position_embedding: tf.Tensor2D;
}

/** The ViT geometry; structurally satisfied by `VitEncoder`. */
export interface VitEmbeddingsConfig {
  readonly hidden: number;
  readonly patch: number;
  readonly imageSize: number;
  readonly channels: number;
}

const patchesOf = (cfg: VitEmbeddingsConfig): number => Math.floor(cfg.imageSize / cfg.patch) ** 2;

export function loadClipVisionEmbeddingsWeights(source: WeightSource, prefix: string, cfg: VitEmbeddingsConfig): ClipVisionEmbeddingsWeights {
  const reader = new WeightReader(source, prefix);
  return {
    patch_embedding: reader.patchConv('patch_embedding', cfg.channels, cfg.hidden, cfg.patch, false),
    class_embedding: reader.vector('class_embedding', cfg.hidden),
    position_embedding: reader.tensor('position_embedding.weight', [patchesOf(cfg) + 1, cfg.hidden]),
  };
}

export function loadSiglipVisionEmbeddingsWeights(source: WeightSource, prefix: string, cfg: VitEmbeddingsConfig): SiglipVisionEmbeddingsWeights {
  const reader = new WeightReader(source, prefix);
  return {
    patch_embedding: reader.patchConv('patch_embedding', cfg.channels, cfg.hidden, cfg.patch, true),
    position_embedding: reader.tensor('position_embedding.weight', [patchesOf(cfg), cfg.hidden]),
  };
}

function checkPositions(tokens: number, table: tf.Tensor2D, what: string): void {
  if (table.shape[0] !== tokens) {
    throw new Error(`${what}: the image gives ${tokens} tokens but the position table has ${table.shape[0]} rows (resize the image to the encoder's trained size)`);
  }
}

/** HF `CLIPVisionEmbeddings`: `[class, patches…] + positions` → `[B, 1 + gh·gw, D]` (pixels `[B, C, H, W]`). */
export function clipVisionEmbeddings(pixels: tf.Tensor4D, w: ClipVisionEmbeddingsWeights): tf.Tensor3D {
  return tf.tidy(() => {
    const patches = patchEmbedding(pixels, w.patch_embedding);
    const [batch, count, width] = patches.shape;
    checkPositions(count + 1, w.position_embedding, 'clipVisionEmbeddings');
    const cls = tf.tile(tf.reshape(w.class_embedding, [1, 1, width]), [batch, 1, 1]);
    return tf.add(tf.concat([cls, patches], 1), w.position_embedding) as tf.Tensor3D;
  });
}

/** HF `SiglipVisionEmbeddings`: `patches + positions` → `[B, gh·gw, D]`. */
export function siglipVisionEmbeddings(pixels: tf.Tensor4D, w: SiglipVisionEmbeddingsWeights): tf.Tensor3D {
  return tf.tidy(() => {
    const patches = patchEmbedding(pixels, w.patch_embedding);
    checkPositions(patches.shape[1], w.position_embedding, 'siglipVisionEmbeddings');
    return tf.add(patches, w.position_embedding) as tf.Tensor3D;
  });
}
