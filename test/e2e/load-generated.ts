/**
 * Test helper: generates a spec's code, imports it (transpiled, runtime import pointed at the
 * runtime's source) and loads it with seeded weights that went through a safetensors file.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateCode, importGenerated, type GeneratedModel } from '../../compiler/codegen/index.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { initWeights, readSafetensorsFile, tf, writeSafetensorsFile } from '../../runtime/index.js';
import { ROOT, RUNTIME_SOURCE } from '../codegen/helpers.js';

export interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: 'normal' | 'zeros' | 'ones';
  readonly std?: number;
}

/** The surface of a generated model class the tests use (the real types live in the generated module). */
export interface GeneratedClass {
  readonly manifest: readonly ManifestEntry[];
  load(source: ReadonlyMap<string, tf.Tensor>): GeneratedInstance;
}

export interface GeneratedInstance {
  forward(inputs: Record<string, unknown>, options?: { convention?: 'expand' | 'preexpanded' }): { logits: tf.Tensor3D; attentionMask: tf.Tensor2D };
  nextTokenLogits(inputs: Record<string, unknown>, options?: { convention?: 'expand' | 'preexpanded' }): tf.Tensor2D;
  dispose(): void;
  [encode: string]: unknown;
}

export interface LoadedModel {
  readonly generated: GeneratedModel;
  readonly Model: GeneratedClass;
  readonly model: GeneratedInstance;
  /** The weights as they were read back from safetensors. */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
}

let counter = 0;
const made: string[] = [];

/** Removes every directory `loadGenerated` made in this process (call from afterAll). */
export function removeGenerated(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function loadGenerated(checked: CheckedModel, seed: number): Promise<LoadedModel> {
  const result = generateCode([checked]);
  if (result.models.length !== 1) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  const dir = join(ROOT, '.tmp', `e2e-${process.pid}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  made.push(dir);
  const module = await importGenerated(result.files, dir, result.models[0].file, { runtimeImport: 'mimo/runtime', runtimeEntry: RUNTIME_SOURCE });
  const Model = module[result.models[0].className] as GeneratedClass;
  const file = join(dir, 'weights.safetensors');
  await writeSafetensorsFile(file, initWeights(Model.manifest, seed));
  const read = await readSafetensorsFile(file);
  const weights = new Map([...read.tensors].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape])]));
  return { generated: result.models[0], Model, model: Model.load(weights), weights };
}
