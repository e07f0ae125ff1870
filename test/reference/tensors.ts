import { tf } from '../../runtime/backend/tf.js';
import type { HostTensor } from './harness.js';
import type { SeededRandom } from './random.js';

/** Normal samples of `shape` as a host tensor. */
export function normal(rng: SeededRandom, shape: readonly number[], std = 1, mean = 0): HostTensor {
  return { shape, data: rng.normals(shape.reduce((a, b) => a * b, 1), std, mean) };
}

export function int32(shape: readonly number[], values: readonly number[]): HostTensor {
  return { shape, data: Int32Array.from(values) };
}

export function toTf(t: HostTensor): tf.Tensor {
  return t.data instanceof Int32Array ? tf.tensor(t.data, [...t.shape], 'int32') : tf.tensor(t.data, [...t.shape], 'float32');
}

/** A `WeightSource` over host tensors: every name becomes a tf tensor on the current backend. */
export function toSource(tensors: Readonly<Record<string, HostTensor>>, skip: readonly string[] = []): Map<string, tf.Tensor> {
  return new Map(Object.entries(tensors).filter(([k]) => !skip.includes(k)).map(([k, v]) => [k, toTf(v)]));
}

/**
 * Seeded weights for a module: every name gets N(0, 1/√fan_in) for matrices, N(0, 0.1) for
 * biases and N(1, 0.1) for norm gains (never zeros, never exactly one).
 */
export function weightsFor(rng: SeededRandom, shapes: Readonly<Record<string, readonly number[]>>): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const isNormGain = /(norm|ln_\d|layer_norm\d?|layernorm)\.weight$/.test(name) && shape.length === 1;
    if (isNormGain) out[name] = normal(rng, shape, 0.1, 1);
    else if (shape.length === 1) out[name] = normal(rng, shape, 0.1);
    else out[name] = normal(rng, shape, 1 / Math.sqrt(shape.slice(1).reduce((a, b) => a * b, 1)));
  }
  return out;
}

/** HF's position ids for a (left-)padded batch, computed on the host: cumsum(mask) − 1, pads → 1. */
export function hostPositionIds(mask: HostTensor): HostTensor {
  const [batch, length] = mask.shape;
  const out = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    let seen = 0;
    for (let t = 0; t < length; t++) {
      const keep = mask.data[b * length + t] !== 0;
      if (keep) seen++;
      out[b * length + t] = keep ? seen - 1 : 1;
    }
  }
  return { shape: mask.shape, data: out };
}
