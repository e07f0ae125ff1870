import { tf } from '../backend/tf.js';
import { conv1dFromHf, type Conv1dWeights } from '../layers/conv.js';
import { linearFromHf, linearFromKernel, type Linear } from '../layers/linear.js';
import type { LayerNormWeights, RmsNormWeights } from '../layers/norm.js';
import { patchEmbeddingFromHf, type PatchEmbeddingWeights } from '../layers/patch.js';

/** Where loaders read checkpoint tensors by their full Hugging Face name; a `Map` is one. */
export interface WeightSource {
  get(name: string): tf.Tensor | undefined;
}

/** A checkpoint tensor that is missing or has the wrong shape; names the full HF name. */
export class WeightError extends Error {
  readonly weightName: string;
  constructor(weightName: string, message: string) {
    super(message);
    this.name = 'WeightError';
    this.weightName = weightName;
  }
}

const show = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * Reads tensors under one name prefix (`model.layers.3.`), checks each shape against what the
 * config implies, and returns prepared copies: the result owns every tensor it holds (dispose it
 * with `tf.dispose(weights)`), the source keeps its own.
 */
export class WeightReader {
  constructor(
    private readonly source: WeightSource,
    readonly prefix: string,
  ) {}

  /** A reader for `prefix + sub`. */
  under(sub: string): WeightReader {
    return new WeightReader(this.source, this.prefix + sub);
  }

  has(name: string): boolean {
    return this.source.get(this.prefix + name) !== undefined;
  }

  /** The raw source tensor (not copied), shape-checked. */
  private raw(name: string, shape: readonly number[]): tf.Tensor {
    const full = this.prefix + name;
    const tensor = this.source.get(full);
    if (tensor === undefined) {
      throw new WeightError(full, `missing weight '${full}' (expected shape ${show(shape)}); check the checkpoint's names and the loader prefix '${this.prefix}'`);
    }
    if (tensor.rank !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new WeightError(full, `weight '${full}' has shape ${show(tensor.shape)} but the model config implies ${show(shape)}`);
    }
    if (tensor.dtype !== 'float32') {
      throw new WeightError(full, `weight '${full}' is ${tensor.dtype}; the runtime computes in float32 (convert it when loading)`);
    }
    return tensor;
  }

  /** A copy of the tensor at `name` with exactly `shape`. */
  tensor<R extends tf.Rank>(name: string, shape: readonly number[]): tf.Tensor<R> {
    return tf.clone(this.raw(name, shape)) as tf.Tensor<R>;
  }

  vector(name: string, length: number): tf.Tensor1D {
    return this.tensor<tf.Rank.R1>(name, [length]);
  }

  /** `name.weight` `[out, in]` (+ `name.bias` `[out]`) of an `nn.Linear`, prepared as a kernel `[in, out]`. */
  linear(name: string, inWidth: number, outWidth: number, bias: boolean): Linear {
    const weight = this.raw(`${name}.weight`, [outWidth, inWidth]) as tf.Tensor2D;
    return linearFromHf(weight, bias ? this.vector(`${name}.bias`, outWidth) : null);
  }

  /** GPT-2's `Conv1D`: `name.weight` is already `[in, out]`. */
  conv1dLinear(name: string, inWidth: number, outWidth: number, bias: boolean): Linear {
    return linearFromKernel(this.tensor<tf.Rank.R2>(`${name}.weight`, [inWidth, outWidth]), bias ? this.vector(`${name}.bias`, outWidth) : null);
  }

  layerNorm(name: string, width: number): LayerNormWeights {
    return { weight: this.vector(`${name}.weight`, width), bias: this.vector(`${name}.bias`, width) };
  }

  rmsNorm(name: string, width: number): RmsNormWeights {
    return { weight: this.vector(`${name}.weight`, width) };
  }

  /** An `nn.Conv1d`: `name.weight` `[out, in/groups, k]` (+ bias). */
  conv1d(name: string, inPerGroup: number, outChannels: number, taps: number, bias: boolean): Conv1dWeights {
    const weight = this.raw(`${name}.weight`, [outChannels, inPerGroup, taps]) as tf.Tensor3D;
    return conv1dFromHf(weight, bias ? this.vector(`${name}.bias`, outChannels) : null);
  }

  /** An `nn.Conv2d` with stride = kernel: `name.weight` `[out, C, p, p]` (+ bias). */
  patchConv(name: string, channels: number, outChannels: number, patch: number, bias: boolean): PatchEmbeddingWeights {
    const weight = this.raw(`${name}.weight`, [outChannels, channels, patch, patch]) as tf.Tensor4D;
    return patchEmbeddingFromHf(weight, bias ? this.vector(`${name}.bias`, outChannels) : null);
  }

  /** Shape-checked source tensor for a transformation done by the caller (not copied). */
  borrow<R extends tf.Rank>(name: string, shape: readonly number[]): tf.Tensor<R> {
    return this.raw(name, shape) as tf.Tensor<R>;
  }
}

/**
 * Disposes every tensor inside a weights object (any nesting of objects and arrays). Typed weights
 * interfaces are not `tf.TensorContainer`s to TypeScript, hence this helper instead of `tf.dispose`.
 */
export function disposeWeights(weights: object | null): void {
  if (weights === null) return;
  if (weights instanceof tf.Tensor) {
    weights.dispose();
    return;
  }
  for (const value of Object.values(weights)) {
    if (value !== null && typeof value === 'object') disposeWeights(value as object);
  }
}
