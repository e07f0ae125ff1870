/**
 * The weight manifest derived from a graph: what a checkpoint for the model holds, by name, with
 * shapes and counts. Code generation writes it into the generated module; runtime/io uses it for
 * seeded initialisation and for checking a safetensors file.
 */
import type { Graph, IrDType, WeightComponent, WeightInit } from './types.js';

export interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: IrDType;
  readonly component: WeightComponent;
  readonly frozen: boolean;
  readonly used: boolean;
  readonly init: WeightInit;
  /** Elements: the product of `shape`. */
  readonly size: number;
}

export interface WeightManifest {
  readonly modelId: string;
  readonly entries: readonly ManifestEntry[];
  /** Every stored parameter (used or not), as `sum(p.numel())` counts them. */
  readonly parameters: number;
  readonly trainable: number;
  /** Parameters the forward reads. */
  readonly usedParameters: number;
}

export function weightManifest(graph: Graph): WeightManifest {
  const entries = graph.weights.map((w) => ({ ...w, size: w.shape.reduce((a, d) => a * d, 1) }));
  const sum = (pick: (e: ManifestEntry) => boolean): number => entries.filter(pick).reduce((a, e) => a + e.size, 0);
  return {
    modelId: graph.modelId,
    entries,
    parameters: sum(() => true),
    trainable: sum((e) => !e.frozen),
    usedParameters: sum((e) => e.used),
  };
}

/** Parameters by component key (`decoder`, `encoder:vision`, `projector:vision`). */
export function parametersByComponent(graph: Graph): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  for (const w of graph.weights) {
    const key = w.component.kind === 'decoder' ? 'decoder' : `${w.component.kind}:${w.component.sense}`;
    out.set(key, (out.get(key) ?? 0) + w.shape.reduce((a, d) => a * d, 1));
  }
  return out;
}
