/**
 * The plan stage's entry: a checked model (or its graph IR) → a fused execution plan for concrete
 * sizes and a target device. See README.md in this folder for the kernel kinds and the pass order.
 */
import { createDiagnostic } from '../diagnostics/create.js';
import { lowerDiagnostics } from '../diagnostics/catalog/lower.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { buildGraph } from '../ir/buildGraph.js';
import { spanAt } from '../ir/families/context.js';
import type { Graph } from '../ir/types.js';
import type { CheckedModel } from '../model/types.js';
import { DEVICES, type TargetId } from './devices.js';
import { emitPlan, unfusedTotals } from './emit.js';
import { FUSION_PASSES, type FusionPass, runPasses } from './fusion/index.js';
import type { KernelGraph } from './graph.js';
import { lowerGraph } from './lower.js';
import type { Plan, PlanBindings, PlanMode } from './types.js';

export interface PlanOptions {
  /** Samples (default 1). */
  readonly batch?: number;
  /** Text tokens of the prompt (default: the model's `text_tokens`); the sequence adds every sense's tokens. */
  readonly text?: number;
  /** `decode`: one new token after a cached prompt of that sequence length. Default `prefill`. */
  readonly mode?: PlanMode;
  /** Device profile of the cost model (default `h100`). */
  readonly target?: TargetId;
  /** Keys per block of the flash attention loop (default 64). */
  readonly attentionBlockSize?: number;
  /** The pass list (default FUSION_PASSES; tests pass other orders). */
  readonly passes?: readonly FusionPass[];
}

export interface PlanResult {
  /** Undefined only when `diagnostics` holds an error. */
  readonly plan: Plan | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface GraphPlan {
  readonly plan: Plan;
  /** The fused kernel graph the plan was emitted from. */
  readonly graph: KernelGraph;
}

/** The bindings of a model and options, or the diagnostic saying why they do not fit. */
export function planBindings(model: CheckedModel, options: PlanOptions): PlanBindings | Diagnostic {
  const batch = options.batch ?? 1;
  const text = options.text ?? model.textTokens;
  const senseTokens = model.senses.reduce((s, x) => s + x.tokens, 0);
  const seq = text + senseTokens;
  const decode = options.mode === 'decode';
  const total = decode ? seq + 1 : seq;
  if (total > model.decoder.context) {
    return createDiagnostic(
      lowerDiagnostics.planSequenceOverContext,
      spanAt(model, 'decoder.context') ?? spanAt(model, 'text_tokens'),
      { text, total, step: decode ? ' (prompt and the decoded token)' : '', context: model.decoder.context },
      { help: `use at most ${model.decoder.context - senseTokens - (decode ? 1 : 0)} text tokens (--seq), or raise \`decoder.context\`` },
    );
  }
  return { batch, text, seq, past: decode ? seq : 0, queries: decode ? 1 : seq };
}

export function planModel(model: CheckedModel, options: PlanOptions = {}): PlanResult {
  const bindings = planBindings(model, options);
  if ('code' in bindings) return { plan: undefined, diagnostics: [bindings] };
  const { graph, diagnostics } = buildGraph(model);
  if (graph === undefined) return { plan: undefined, diagnostics };
  return { plan: planGraph(graph, bindings, options).plan, diagnostics };
}

/** Lowers, fuses and emits a plan for a graph at the given bindings. */
export function planGraph(ir: Graph, bindings: PlanBindings, options: PlanOptions = {}): GraphPlan {
  const mode = options.mode ?? 'prefill';
  const device = DEVICES[options.target ?? 'h100'];
  const lowered = lowerGraph(ir, { mode, batch: bindings.batch, seq: bindings.seq });
  const unfused = unfusedTotals(lowered.graph, lowered.ops, device);
  const passes = runPasses(lowered.graph, { mode, attentionBlockSize: options.attentionBlockSize ?? 64 }, options.passes ?? FUSION_PASSES);
  const dtype = ir.weights[0]?.dtype ?? 'float32';
  const plan = emitPlan({ graph: lowered.graph, model: ir.modelId, mode, dtype, bindings, device, passes, unfused });
  return { plan, graph: lowered.graph };
}

export { DEVICES, TARGET_IDS, isTargetId, type DeviceProfile, type TargetId } from './devices.js';
export { FUSION_PASSES, runPasses, type FusionPass } from './fusion/index.js';
export { lowerGraph } from './lower.js';
export { parsePlan, serializePlan, type ReadPlanResult } from './planJson.js';
export { planSchema, planSchemaText } from './schema.js';
export { planHtml } from './html.js';
export { interpretGraph, type Feeds, type IrRun } from './interpret/ir.js';
export { interpretPlan } from './interpret/plan.js';
export type { Tensor } from './interpret/tensor.js';
export * from './types.js';
