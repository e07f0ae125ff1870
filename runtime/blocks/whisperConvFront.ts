import { tf } from '../backend/tf.js';
import { gelu } from '../layers/activation.js';
import { conv1d, type Conv1dWeights } from '../layers/conv.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `WhisperEncoder` front parameters (names under `model.encoder.`). */
export interface WhisperConvFrontWeights {
  /** `conv1.{weight [D, mels, 3], bias}`. */
  readonly conv1: Conv1dWeights;
  /** `conv2.{weight [D, D, 3], bias}`. */
  readonly conv2: Conv1dWeights;
  /** `embed_positions.weight` `[positions, D]` (the sinusoidal table; `sinusoidalPositions` makes one). */
  readonly embed_positions: tf.Tensor2D;
}

/** Structurally satisfied by `WhisperEncoder`. */
export interface WhisperFrontConfig {
  readonly hidden: number;
  readonly melBins: number;
  readonly positions: number;
}

export function loadWhisperConvFrontWeights(source: WeightSource, prefix: string, cfg: WhisperFrontConfig): WhisperConvFrontWeights {
  const reader = new WeightReader(source, prefix);
  return {
    conv1: reader.conv1d('conv1', cfg.melBins, cfg.hidden, 3, true),
    conv2: reader.conv1d('conv2', cfg.hidden, cfg.hidden, 3, true),
    embed_positions: reader.tensor('embed_positions.weight', [cfg.positions, cfg.hidden]),
  };
}

/**
 * Whisper's convolutional stem: log-mel `features` `[B, melBins, frames]` (HF `input_features`) →
 * GELU(conv1, k3 s1 p1) → GELU(conv2, k3 s2 p1) → `+ embed_positions[:T]` → `[B, T, D]`,
 * T = ⌊(frames − 1)/2⌋ + 1 (1500 for 3000 frames). HF insists on exactly 3000 frames; shorter
 * inputs are allowed here and use the first T rows of the table.
 */
export function whisperConvFront(features: tf.Tensor3D, w: WhisperConvFrontWeights): tf.Tensor3D {
  return tf.tidy(() => {
    const timeMajor = tf.transpose(features, [0, 2, 1]) as tf.Tensor3D;
    const first = gelu(conv1d(timeMajor, w.conv1, { stride: 1, padding: 1 })) as tf.Tensor3D;
    const second = gelu(conv1d(first, w.conv2, { stride: 2, padding: 1 })) as tf.Tensor3D;
    const [, length, width] = second.shape;
    if (length > w.embed_positions.shape[0]) {
      throw new Error(`whisperConvFront: ${features.shape[2]} frames give ${length} positions but the table has ${w.embed_positions.shape[0]}`);
    }
    return tf.add(second, tf.slice(w.embed_positions, [0, 0], [length, width])) as tf.Tensor3D;
  });
}
