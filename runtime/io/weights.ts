/**
 * Glue between float32 tensor maps (safetensors, seeded init) and tfjs tensors, so generated
 * model code can load or initialise a `Map<string, tf.Tensor>` (a `WeightSource`) in one call.
 */
import { tf } from '../backend/tf.js';
import { initWeights, type InitSpec } from './init.js';
import { readSafetensorsFile } from './safetensors-file.js';
import type { TensorToWrite, WriteSafetensorsOptions } from './safetensors.js';
import { writeSafetensorsFile } from './safetensors-file.js';

/** Float32 arrays with shapes (what readSafetensors and initWeights return). */
export type FloatTensorMap = ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;

/** Makes one float32 tf.Tensor per entry; the caller owns (and disposes) them. */
export function toTfTensors(tensors: FloatTensorMap): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, { shape, data }] of tensors) out.set(name, tf.tensor(data, [...shape], 'float32'));
  return out;
}

/** Reads a safetensors file into tf tensors (decoded to float32). */
export async function loadSafetensorsWeights(path: string): Promise<Map<string, tf.Tensor>> {
  return toTfTensors((await readSafetensorsFile(path)).tensors);
}

/** Seeded initialisation straight to tf tensors. */
export function initTfWeights(manifest: readonly InitSpec[], seed: number): Map<string, tf.Tensor> {
  return toTfTensors(initWeights(manifest, seed));
}

/** Writes tf tensors to a safetensors file (atomically); values are read back from the device. */
export async function saveSafetensorsWeights(
  path: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, tensor] of tensors) {
    const data = tensor.dtype === 'float32' ? (await tensor.data()) as Float32Array : Float32Array.from(await tensor.data());
    out.set(name, { shape: tensor.shape, data });
  }
  await writeSafetensorsFile(path, out, options);
}
