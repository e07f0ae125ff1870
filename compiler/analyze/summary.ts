/**
 * The machine-readable form of an analysis (`mimo stats --json`, `mimo variants --json`): plain
 * objects whose counts are BigInts, to be printed with `stringifyJson` so they come out as exact
 * JSON integers. Module maps are keyed by dotted path, parents before children.
 */
import type { ModelAnalysis } from './types.js';
import { flatten } from './tree.js';

export interface AnalysisJson {
  readonly id: string;
  readonly params: {
    readonly total: bigint;
    readonly trainable: bigint;
    readonly frozen: bigint;
    readonly by_module: Readonly<Record<string, bigint>>;
    readonly modules: readonly { path: string; params: bigint; trainable: bigint; frozen: bigint; note: string }[];
  };
  readonly tokens: {
    readonly by_sense: Readonly<Record<string, number>>;
    readonly text: number;
    readonly total: number;
    readonly derivation: Readonly<Record<string, readonly { label: string; value: number }[]>>;
  };
  readonly sequence_length: number;
  readonly flops: { readonly total: bigint; readonly by_module: Readonly<Record<string, bigint>> };
  readonly memory: {
    readonly dtype: string;
    readonly batch: number;
    readonly sequence_length: number;
    readonly weights: bigint;
    readonly weights_by_dtype: { float32: bigint; float16: bigint; bfloat16: bigint; int8: bigint };
    readonly kv_cache: bigint;
    readonly activations: bigint;
    readonly total: bigint;
  };
  readonly layout: {
    readonly prompt: string;
    readonly spans: readonly { kind: string; name: string; start: number; end: number; count: number }[];
    readonly length: number;
    readonly problems: readonly string[];
  };
}

export function analysisToJson(a: ModelAnalysis): AnalysisJson {
  const paramRows = flatten(a.params);
  const byModule: Record<string, bigint> = {};
  for (const row of paramRows) byModule[row.path] = row.node.params;
  const flopsByModule: Record<string, bigint> = {};
  for (const row of flatten(a.flops)) flopsByModule[row.path] = row.node.flops;
  const bySense: Record<string, number> = {};
  const derivation: Record<string, { label: string; value: number }[]> = {};
  for (const s of a.tokens.bySense) {
    bySense[s.sense] = s.tokens;
    derivation[s.sense] = s.derivation.map((d) => ({ label: d.label, value: d.value }));
  }
  const m = a.memory;
  return {
    id: a.id,
    params: {
      total: a.params.params,
      trainable: a.params.trainable,
      frozen: a.params.params - a.params.trainable,
      by_module: byModule,
      modules: paramRows.map((r) => ({
        path: r.path,
        params: r.node.params,
        trainable: r.node.trainable,
        frozen: r.node.params - r.node.trainable,
        note: r.node.note,
      })),
    },
    tokens: { by_sense: bySense, text: a.tokens.text, total: a.tokens.total, derivation },
    sequence_length: a.sequenceLength,
    flops: { total: a.flops.flops, by_module: flopsByModule },
    memory: {
      dtype: m.dtype,
      batch: m.batch,
      sequence_length: m.sequenceLength,
      weights: m.weights,
      weights_by_dtype: { ...m.weightsByDtype },
      kv_cache: m.kvCache,
      activations: m.activations,
      total: m.total,
    },
    layout: {
      prompt: a.layout.prompt,
      spans: a.layout.spans.map((s) => ({
        kind: s.kind,
        name: s.kind === 'sense' ? s.sense : s.text,
        start: s.start,
        end: s.end,
        count: s.end - s.start,
      })),
      length: a.layout.length,
      problems: [...a.layout.problems],
    },
  };
}
