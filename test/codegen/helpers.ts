/** Shared by the codegen and e2e tests: checked models of the specs in specs/, and where the runtime is. */
import { join } from 'node:path';
import { runPipeline } from '../../compiler/pipeline.js';
import type { CheckedModel } from '../../compiler/model/types.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RUNTIME_SOURCE = join(ROOT, 'runtime', 'index.ts');

/** The checked models of one spec (no sweep points); fails the test on spec errors. */
export async function specModels(spec: string): Promise<CheckedModel[]> {
  const result = await runPipeline([join('specs', spec)], { root: ROOT, cwd: ROOT });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${spec}: ${errors.map((d) => d.message).join('; ')}`);
  return [...result.models];
}
