import { tf } from '../backend/tf.js';
import { activation, type Activation } from '../layers/activation.js';
import { linear, type Linear } from '../layers/linear.js';
import { WeightReader, type WeightSource } from './weights.js';

/** An MLP projector's linears in order (LLaVA `linear_1`, `linear_2`; Megatron `fc1`, `fc2`). */
export interface MlpProjectorWeights {
  readonly linears: readonly Linear[];
}

/** Structurally satisfied by the `mlp` `Projector` of `compiler/model/types.ts`. */
export interface MlpProjectorConfig {
  readonly depth: number;
  readonly inputWidth: number;
  readonly hiddenWidth: number;
  readonly outputWidth: number;
  readonly bias: boolean;
}

/** The default HF LLaVA names: `linear_1 … linear_depth`. */
export const llavaProjectorNames = (depth: number): string[] => Array.from({ length: depth }, (_, i) => `linear_${i + 1}`);

export function loadMlpProjectorWeights(
  source: WeightSource,
  prefix: string,
  cfg: MlpProjectorConfig,
  names: readonly string[] = llavaProjectorNames(cfg.depth),
): MlpProjectorWeights {
  if (names.length !== cfg.depth) throw new Error(`loadMlpProjectorWeights: ${names.length} names for a depth-${cfg.depth} projector`);
  const reader = new WeightReader(source, prefix);
  const widths = [cfg.inputWidth, ...Array.from({ length: cfg.depth - 1 }, () => cfg.hiddenWidth), cfg.outputWidth];
  return { linears: names.map((name, i) => reader.linear(name, widths[i], widths[i + 1], cfg.bias)) };
}

/** Linear → act → … → Linear: the activation sits between layers, never after the last. */
export function mlpProjector(x: tf.Tensor, w: MlpProjectorWeights, act: Activation): tf.Tensor {
  return tf.tidy(() => {
    let h = x;
    w.linears.forEach((layer, i) => {
      h = linear(h, layer);
      if (i < w.linears.length - 1) h = activation(h, act);
    });
    return h;
  });
}

/** Megatron's `affine` projector: one linear. */
export function affineProjector(x: tf.Tensor, w: Linear): tf.Tensor {
  return linear(x, w);
}

export function loadAffineProjectorWeights(source: WeightSource, prefix: string, name: string, cfg: { readonly inputWidth: number; readonly outputWidth: number; readonly bias: boolean }): Linear {
  return new WeightReader(source, prefix).linear(name, cfg.inputWidth, cfg.outputWidth, cfg.bias);
}
