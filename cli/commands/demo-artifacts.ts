/**
 * The plan stage's artifacts for `mimo demo`: next to each model's generated code, its execution
 * plan (`<model>.plan.json`, prefill at the model's text budget, cost modelled on an H100) and the
 * WGSL of every distinct shader the WebGPU executor would run for it (`<model>.wgsl`, from the
 * float32 plan, the precision the WebGPU executor runs). Imported lazily: it pulls in the planner.
 */
import type { GeneratedFile } from '../../compiler/codegen/index.js';
import { buildGraph } from '../../compiler/ir/index.js';
import type { Graph } from '../../compiler/ir/types.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { planBindings, planGraph, serializePlan } from '../../compiler/plan/index.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';

export function planArtifacts(model: CheckedModel, graph: Graph, base: string): readonly GeneratedFile[] {
  const bindings = planBindings(model, {});
  if ('code' in bindings) return [];
  const files: GeneratedFile[] = [{ path: `${base}.plan.json`, text: serializePlan(planGraph(graph, bindings).plan) }];
  const f32 = model.dtype === 'float32' ? graph : buildGraph({ ...model, dtype: 'float32' }).graph;
  if (f32 !== undefined) {
    const program = lowerPlanToWebGpu(planGraph(f32, bindings).plan);
    const uses = new Map<number, string[]>();
    for (const d of program.forward) uses.set(d.shader, [...(uses.get(d.shader) ?? []), d.label]);
    const text = program.shaders
      .map((wgsl, i) => `// ---- shader ${i}: ${(uses.get(i) ?? ['prepare']).length} dispatches (first: ${(uses.get(i) ?? ['prepare'])[0]})\n${wgsl.trimEnd()}\n`)
      .join('\n');
    files.push({ path: `${base}.wgsl`, text: `// WGSL of ${model.id}'s float32 plan: ${program.shaders.length} shaders, ${program.forward.length} dispatches per forward.\n\n${text}` });
  }
  return files;
}
