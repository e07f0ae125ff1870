/**
 * The analyses of a checked model: exact parameter counts per module (trainable and frozen),
 * tokens per sense and the sequence length, forward FLOPs per sample, weight / KV-cache /
 * activation memory, and the token layout of a prompt. Pure functions of the checked model;
 * they never fail on one.
 */
import type { CheckedModel } from '../model/types.js';
import type { AnalyzeOptions, ModelAnalysis } from './types.js';
import { countParams } from './params.js';
import { countFlops } from './flops.js';
import { estimateMemory } from './memory.js';
import { reportTokens } from './tokens.js';
import { layoutPrompt } from './layout.js';

export type {
  AnalyzeOptions,
  FlopNode,
  LayoutSpan,
  MemoryReport,
  ModelAnalysis,
  ParamNode,
  SenseTokens,
  TokenLayout,
  TokenReport,
  WeightBytes,
} from './types.js';
export { countParams, projectorWidths } from './params.js';
export { countFlops } from './flops.js';
export { estimateMemory, bytesPerValue, weightBytes } from './memory.js';
export { reportTokens } from './tokens.js';
export { layoutPrompt } from './layout.js';
export { lookupAnalysisPath, analysisPaths } from './lookup.js';
export { analysisToJson } from './summary.js';
export type { AnalysisJson } from './summary.js';
export { stringifyJson } from './json.js';
export { formatBytes, formatFlops, groupDigits } from './format.js';
export { flatten, findNode } from './tree.js';

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

export function analyzeModel(model: CheckedModel, options: AnalyzeOptions = {}): ModelAnalysis {
  const batch = positiveInteger(options.batch, 1);
  const sequenceLength = positiveInteger(options.sequenceLength, model.sequenceLength);
  const params = countParams(model);
  return {
    id: model.id,
    params,
    tokens: reportTokens(model),
    sequenceLength,
    flops: countFlops(model, sequenceLength),
    memory: estimateMemory(model, params.params, batch, sequenceLength),
    layout: options.layout === false ? { prompt: '', spans: [], length: 0, problems: [] } : layoutPrompt(model, options.prompt),
  };
}
