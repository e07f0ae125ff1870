/**
 * `mimo run <spec> [--model M] [--set path=value ...] [--backend wasm|cpu|webgpu|tensorflow] [--plan]
 *  [--weights file.safetensors] [--seed N] [--prompt "<video> <audio> 17 42 ..."] [--runs N] [--json] [--root DIR]`:
 * one forward pass of a model from seeded random weights (or a safetensors checkpoint) on a prompt
 * with synthesized media (random video frames, a synthesized chord through the audio front end).
 *
 * - Without `--plan`: the generated model (compiler/codegen, the same code `mimo build` writes and
 *   `mimo demo` runs) executes op by op through the runtime's layers.
 * - With `--plan`: the model's fused execution plan (compiler/plan) runs through a plan executor —
 *   the tfjs executor (runtime/plan: tfjs fused ops on wasm, cpu, tensorflow), or a runner other
 *   stages register in `PLAN_RUNNERS` for a backend (the WGSL executor on webgpu).
 *
 * Both read the same pre-expanded prompt (each placeholder repeated once per sense embedding) and
 * the same media, so their logits agree. Prints the output shape, timings and the top-5 next-token
 * ids; `--json` prints one JSON object instead. Without `--model` the spec's smallest model (fewest
 * parameters) runs — a tiny variant where the spec has one.
 *
 * Exit 0 ok, 1 the spec has errors (or a non-finite output), 2 usage or I/O error (a bad prompt,
 * unreadable or mismatched weights, a backend that cannot start here, a failed forward).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import { analyzeModel } from '../../compiler/analyze/index.js';
import { DEFAULT_RUNTIME_IMPORT, runtimeRunEntry } from '../../compiler/codegen/runtimeLocation.js';
import { createDiagnostic } from '../../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../../compiler/diagnostics/catalog/io.js';
import type { Diagnostic } from '../../compiler/diagnostics/types.js';
import { buildGraph } from '../../compiler/ir/index.js';
import type { Graph } from '../../compiler/ir/types.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import type { Plan } from '../../compiler/plan/index.js';
import type { tf as TfNamespace } from '../../runtime/index.js';
import type { PlanInputs } from '../../runtime/plan/index.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, integerArgument, rootOption, writeDiagnostics, writeRunError } from '../report.js';
import { loadOneModel } from './pick-model.js';
import { demoMedia, demoPrompt } from './demo.js';
import type { CommandModule } from './index.js';
import { setOption } from './stats.js';

type Runtime = typeof import('../../runtime/index.js');
type PlanRuntime = typeof import('../../runtime/plan/index.js');
type Tensor = TfNamespace.Tensor;
type BackendChoice = 'wasm' | 'webgpu' | 'cpu' | 'tensorflow';

export interface RunOptions {
  readonly model?: string;
  readonly set: string[];
  readonly backend: BackendChoice;
  readonly plan?: boolean;
  readonly weights?: string;
  readonly seed: number;
  readonly prompt?: string;
  readonly runs: number;
  readonly json?: boolean;
  readonly root?: string;
}

/** One forward of a plan on some executor: the plan's outputs (caller disposes) and what it ran. */
export interface PlanRunOutput {
  readonly logits: Tensor;
  readonly kernels: number;
  readonly peakBytes?: number;
}

/** A way to run plans on one backend; `create` loads the plan once, `forward` runs it. */
export interface PlanRunner {
  readonly backend: BackendChoice;
  /** What prints as the executor's name. */
  readonly name: string;
  create(plan: Plan, weights: ReadonlyMap<string, Float32Array>): Promise<{ forward(inputs: PlanInputs): Promise<PlanRunOutput>; dispose(): void }>;
}

/**
 * Plan executors other stages provide, by backend (the WGSL executor registers itself for
 * `webgpu`). A backend with none runs the tfjs plan executor.
 */
export const PLAN_RUNNERS: PlanRunner[] = [];


export const runCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('run')
      .description("run one forward pass of a model on seeded (or loaded) weights and synthesized media; --plan runs its fused plan")
      .argument('<spec>', '.mimo file')
      .option('--model <id>', 'the model, variant (base/variant) or sweep point (default: the smallest model of the spec)')
      .addOption(setOption())
      .addOption(new Option('--backend <name>', 'tfjs backend').choices(['wasm', 'webgpu', 'cpu', 'tensorflow']).default('wasm'))
      .option('--plan', 'run the fused execution plan through a plan executor instead of the generated model')
      .option('--weights <file>', 'a safetensors checkpoint with Hugging Face names (default: seeded random weights)')
      .addOption(new Option('--seed <n>', 'seed of the random weights, prompt and media').argParser(integerArgument('the seed', 0)).default(0))
      .option('--prompt <ids>', 'prompt: token ids and placeholders, e.g. "1 <video> <audio> 17 42" (default: a seeded prompt)')
      .addOption(new Option('--runs <n>', 'forward passes to time').argParser(integerArgument('the number of runs', 1)).default(1))
      .option('--json', 'print one JSON object')
      .addOption(rootOption())
      .action((spec: string, options: RunOptions) => run(() => runModel(spec, options, ctx)));
  },
};

export async function runModel(spec: string, options: RunOptions, ctx: CliContext): Promise<number> {
  const one = await loadOneModel(ctx, spec, options, smallestModel);
  if (typeof one === 'number') return one;
  const { loaded, model } = one;
  const built = buildGraph(model);
  writeDiagnostics(ctx, ctx.stderr, 'pretty', built.diagnostics, loaded.result.sources, loaded.root);
  if (built.graph === undefined) return exitCodeFor(built.diagnostics);
  const graph = built.graph;

  const rt: Runtime = await import('../../runtime/index.js');
  const planRt: PlanRuntime = await import('../../runtime/plan/index.js');
  let backendDetail: string;
  try {
    backendDetail = (await rt.initBackend(options.backend)).detail;
  } catch (error) {
    if (!(error instanceof rt.BackendUnavailableError)) throw error;
    writeRunError(ctx, createDiagnostic(ioDiagnostics.runBackendUnavailable, undefined, { backend: options.backend, reason: error.message }, { help: 'pick another backend with --backend (wasm runs everywhere)' }));
    return ExitCode.usage;
  }

  const weights = await runWeights(ctx, rt, model, graph, options);
  if (typeof weights === 'number') return weights;
  const prompt = options.prompt === undefined ? demoPrompt(rt, model, options.seed).ids : parsePrompt(model, options.prompt);
  if (!Array.isArray(prompt)) {
    writeRunError(ctx, prompt);
    return ExitCode.usage;
  }
  const expanded = expandPrompt(model, prompt);
  const media = new Map(model.senses.map((s) => [s.name, demoMedia(rt, s, options.seed)]));
  const textTokens = prompt.length - model.senses.length;

  let result: ForwardReport | number;
  try {
    result = options.plan === true
      ? await runPlanPath(ctx, planRt, rt, { model, graph, weights, expanded, media, textTokens }, options)
      : await runOpByOpPath(rt, { model, graph, weights, expanded, media, textTokens }, options);
  } catch (error) {
    // Executor and plan errors, bad media, and the generated code's shape checks are input problems.
    const known = error instanceof planRt.PlanRunError || error instanceof planRt.PlanFormatError || error instanceof rt.IoError || (error instanceof Error && error.name === 'ShapeError');
    // A plan the WebGPU device cannot hold (a tensor past its storage-binding limit) is the input's size, not a bug.
    const tooBig = error instanceof Error && (error.name === 'PlanLoweringError' || error.name === 'GpuProgramError');
    if (!known && !tooBig) throw error;
    const help =
      (error as { help?: string }).help ??
      (tooBig ? 'this WebGPU device cannot hold the plan: use a shorter prompt or smaller media, or --backend wasm (no binding limit)' : 'the inputs do not fit the model; check --prompt and the spec');
    writeRunError(ctx, createDiagnostic(ioDiagnostics.runFailed, undefined, { reason: error.message.split('\n')[0] }, { help }));
    return ExitCode.usage;
  } finally {
    rt.tf.dispose([...media.values()].map((m) => m.tensor));
  }
  if (typeof result === 'number') return result;

  const finite = result.last.every(Number.isFinite);
  const top = topK(result.last, 5);
  if (options.json === true) {
    const report = {
      model: model.id,
      backend: options.backend,
      backend_detail: backendDetail,
      path: options.plan === true ? 'plan' : 'op-by-op',
      executor: result.executor,
      prompt: { ids: prompt, text_tokens: textTokens, expanded_length: expanded.length },
      output: { name: 'logits', shape: result.shape },
      load_ms: round(result.loadMs),
      forward_ms: result.times.map(round),
      ...(result.kernels === undefined ? {} : { kernels: result.kernels }),
      ...(result.peakBytes === undefined ? {} : { peak_bytes: result.peakBytes }),
      top5: top.map(([id, logit]) => ({ id, logit })),
      finite,
    };
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const out = (text: string): void => ctx.stdout.write(`${text}\n`);
    const placeholders = new Map(model.senses.map((s) => [s.token.id, s.token.text]));
    out(`model: ${model.id} on ${backendDetail}`);
    out(`path: ${options.plan === true ? 'fused plan' : 'op by op'} (${result.executor})`);
    out(`prompt: ${prompt.length} ids [${prompt.map((id) => placeholders.get(id) ?? String(id)).join(', ')}] → ${expanded.length} positions (${textTokens} text + ${model.senses.map((s) => `${s.tokens} ${s.name}`).join(' + ')})`);
    for (const s of model.senses) out(`${s.name}: ${media.get(s.name)?.note ?? ''}`);
    out(`weights: ${options.weights === undefined ? `seeded random (seed ${options.seed})` : relative(ctx.cwd, resolve(ctx.cwd, options.weights))}; loaded in ${result.loadMs.toFixed(0)} ms`);
    out(`output: logits [${result.shape.join(', ')}]${result.kernels === undefined ? '' : `, ${result.kernels} kernels per forward`}${result.peakBytes === undefined ? '' : `, peak ${(result.peakBytes / 2 ** 20).toFixed(2)} MiB of activations`}`);
    out(`forward: ${result.times.map((t) => `${t.toFixed(1)} ms`).join(', ')}${result.times.length > 1 ? ' (the first includes warm-up)' : ''}`);
    out(`top-5 next-token ids: ${top.map(([id, v]) => `${id} (${v.toFixed(4)})`).join(', ')}${finite ? '' : ' — non-finite logits!'}`);
  }
  return finite ? ExitCode.ok : ExitCode.specErrors;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The model with the fewest parameters (ties: the first declared). */
export function smallestModel(models: readonly CheckedModel[]): CheckedModel | undefined {
  let best: CheckedModel | undefined;
  let bestParams = Infinity;
  for (const m of models) {
    const params = Number(analyzeModel(m).params.params);
    if (params < bestParams) {
      best = m;
      bestParams = params;
    }
  }
  return best;
}

/** Seeded weights, or the safetensors file's tensors checked against the manifest (only tensors the forward reads must be there). */
async function runWeights(ctx: CliContext, rt: Runtime, model: CheckedModel, graph: Graph, options: RunOptions): Promise<Map<string, Float32Array> | number> {
  if (options.weights === undefined) return seededWeights(rt, graph, options.seed);
  const path = resolve(ctx.cwd, options.weights);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.isDirectory()) {
    const entry = info === undefined ? ioDiagnostics.fileNotFound : ioDiagnostics.pathIsDirectory;
    writeRunError(ctx, createDiagnostic(entry, undefined, { path: options.weights }, { help: 'pass the path of a safetensors file to --weights' }));
    return ExitCode.usage;
  }
  let content;
  try {
    content = await rt.readSafetensorsFile(path);
  } catch (error) {
    writeRunError(ctx, createDiagnostic(ioDiagnostics.fileUnreadable, undefined, { path: options.weights, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) }, { help: 'pass a safetensors file (`mimo demo` writes one)' }));
    return ExitCode.usage;
  }
  const weights = new Map<string, Float32Array>();
  for (const w of graph.weights) {
    const t = content.tensors.get(w.name);
    if (t === undefined) {
      if (!w.used) continue;
      writeRunError(ctx, createDiagnostic(ioDiagnostics.runWeightsMismatch, undefined, { path: options.weights, model: model.id, reason: `no tensor \`${w.name}\`` }, { help: `the model reads ${graph.weights.filter((x) => x.used).length} tensors by their Hugging Face names; \`mimo build\` writes the manifest` }));
      return ExitCode.usage;
    }
    if (t.shape.join() !== w.shape.join()) {
      writeRunError(ctx, createDiagnostic(ioDiagnostics.runWeightsMismatch, undefined, { path: options.weights, model: model.id, reason: `\`${w.name}\` is [${t.shape.join(', ')}], the model needs [${w.shape.join(', ')}]` }, { help: "use a checkpoint of this model's configuration, or change the spec to match it" }));
      return ExitCode.usage;
    }
    weights.set(w.name, t.data);
  }
  return weights;
}

/** Every manifest tensor from the runtime's seeded initializer (the manifest's own init: normal(std), zeros, ones). */
export function seededWeights(rt: Runtime, graph: Graph, seed: number): Map<string, Float32Array> {
  const manifest = graph.weights.map((w) => ({ name: w.name, shape: w.shape, init: w.init.kind, ...(w.init.kind === 'normal' ? { std: w.init.std } : {}) }));
  return new Map([...rt.initWeights(manifest, seed)].map(([name, t]) => [name, t.data]));
}

/**
 * `--prompt`: whitespace- or comma-separated token ids and placeholders (a sense's token text such
 * as `<video>`, or its id). Each sense's placeholder must appear exactly once: it stands for that
 * sense's whole input.
 */
export function parsePrompt(model: CheckedModel, text: string): number[] | Diagnostic {
  const bad = (reason: string, help: string): Diagnostic => createDiagnostic(ioDiagnostics.runBadPrompt, undefined, { reason }, { help });
  const placeholders = model.senses.map((s) => `\`${s.token.text}\``).join(', ');
  const ids: number[] = [];
  for (const word of text.split(/[\s,]+/).filter((w) => w !== '')) {
    const sense = model.senses.find((s) => s.token.text === word);
    if (sense !== undefined) {
      ids.push(sense.token.id);
      continue;
    }
    if (!/^\d+$/.test(word)) return bad(`\`${word}\` is neither a token id nor a placeholder`, `write token ids (0 to ${model.decoder.vocabTotal - 1}) and the placeholders ${placeholders}`);
    const id = Number(word);
    if (id >= model.decoder.vocabTotal) return bad(`token id ${id} is outside the vocabulary of ${model.decoder.vocabTotal}`, `use ids from 0 to ${model.decoder.vocabTotal - 1}`);
    ids.push(id);
  }
  for (const s of model.senses) {
    const count = ids.filter((id) => id === s.token.id).length;
    if (count !== 1) return bad(`the \`${s.token.text}\` placeholder appears ${count} times`, `put \`${s.token.text}\` exactly once: it stands for all ${s.tokens} ${s.name} embeddings`);
  }
  if (ids.length === model.senses.length) return bad('the prompt has no text token', 'add at least one token id');
  return ids;
}

/** Each placeholder repeated once per embedding of its sense (the pre-expanded convention plans take). */
export function expandPrompt(model: CheckedModel, ids: readonly number[]): Int32Array {
  const tokens = new Map(model.senses.map((s) => [s.token.id, s.tokens]));
  return Int32Array.from(ids.flatMap((id) => new Array<number>(tokens.get(id) ?? 1).fill(id)));
}

/** What both paths run on. */
export interface RunInputs {
  readonly model: CheckedModel;
  readonly graph: Graph;
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** `[seq]` ids of one sample, placeholders expanded. */
  readonly expanded: Int32Array;
  /** Media by sense name, batch 1, in the encoder's input layout. */
  readonly media: ReadonlyMap<string, { readonly tensor: Tensor; readonly note: string }>;
  readonly textTokens: number;
}

interface ForwardReport {
  readonly executor: string;
  readonly shape: readonly number[];
  /** Logits at the last position. */
  readonly last: number[];
  readonly loadMs: number;
  readonly times: number[];
  readonly kernels?: number;
  readonly peakBytes?: number;
}

/** The generated model, loaded: `forward` runs it op by op on the prompt and media and returns logits `[1, seq, vocab]`. */
export interface OpByOpModel {
  forward(): Tensor;
  dispose(): Promise<void>;
}

/**
 * Generates the model's TypeScript (what `mimo build` writes), transpiles and imports it from a
 * temporary folder, and loads the weights into it — the way `mimo demo` runs generated code.
 */
export async function loadOpByOp(rt: Runtime, inputs: RunInputs): Promise<OpByOpModel> {
  const { generateCode, importGenerated } = await import('../../compiler/codegen/index.js');
  const generated = generateCode([inputs.model], { specPath: undefined });
  const target = generated.models[0];
  if (target === undefined) throw new Error(`no code was generated for ${inputs.model.id}: ${generated.diagnostics.map((d) => d.message).join('; ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'mimo-run-'));
  try {
    const module = await importGenerated(generated.files, dir, target.file, { runtimeImport: DEFAULT_RUNTIME_IMPORT, runtimeEntry: runtimeRunEntry() });
    const Model = module[target.className] as GeneratedClass;
    const source = new Map([...inputs.weights].map(([name, data]) => [name, rt.tf.tensor(data, inputs.graph.weights.find((w) => w.name === name)?.shape.slice() ?? [data.length])]));
    const instance = Model.load(source);
    rt.tf.dispose([...source.values()]);
    const ids = rt.tf.tensor2d(inputs.expanded, [1, inputs.expanded.length], 'int32');
    const feed: Record<string, unknown> = { inputIds: ids };
    inputs.model.senses.forEach((s, k) => (feed[target.senseKeys[k]] = inputs.media.get(s.name)?.tensor));
    return {
      forward: () => {
        const out = instance.forward(feed, { convention: 'preexpanded' });
        out.attentionMask.dispose();
        return out.logits;
      },
      dispose: async () => {
        instance.dispose();
        ids.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface GeneratedClass {
  load(source: Map<string, Tensor>): { forward(inputs: Record<string, unknown>, options: { convention: 'preexpanded' }): { logits: Tensor; attentionMask: Tensor }; dispose(): void };
}

/** The plan's inputs by name: ids, an all-ones mask, positions 0…, each sense's media. */
export function planInputs(plan: Plan, graph: Graph, inputs: RunInputs): PlanInputs {
  const senseOf = new Map<string, string | undefined>();
  for (const node of graph.nodes) if (node.op === 'input') senseOf.set(node.attrs.name, node.attrs.sense);
  const seq = inputs.expanded.length;
  const feed: Record<string, Tensor | Int32Array> = {};
  for (const input of plan.inputs) {
    const n = input.operand.shape.reduce((a, b) => a * b, 1);
    if (input.role === 'input_ids') feed[input.name] = inputs.expanded;
    else if (input.role === 'attention_mask') feed[input.name] = new Int32Array(n).fill(1);
    else if (input.role === 'position_ids') feed[input.name] = Int32Array.from({ length: n }, (_, i) => i % seq);
    else {
      const media = inputs.media.get(senseOf.get(input.name) ?? '');
      if (media === undefined) throw new Error(`the plan input \`${input.name}\` belongs to no sense`);
      feed[input.name] = media.tensor;
    }
  }
  return feed;
}

/** The tfjs plan executor as a `PlanRunner`. */
export function tfjsPlanRunner(rt: PlanRuntime, backend: BackendChoice): PlanRunner {
  return {
    backend,
    name: 'tfjs plan executor',
    create: async (plan, weights) => {
      const executor = rt.createPlanExecutor(plan, weights);
      return {
        forward: async (inputs) => {
          const f = await executor.forward(inputs);
          return { logits: f.outputs.logits, kernels: f.kernels, peakBytes: f.peakBytes };
        },
        dispose: () => executor.dispose(),
      };
    },
  };
}

async function runOpByOpPath(rt: Runtime, inputs: RunInputs, options: RunOptions): Promise<ForwardReport> {
  let t = performance.now();
  const model = await loadOpByOp(rt, inputs);
  const loadMs = performance.now() - t;
  try {
    const times: number[] = [];
    let last: number[] = [];
    let shape: readonly number[] = [];
    for (let r = 0; r < options.runs; r++) {
      t = performance.now();
      const logits = model.forward();
      const data = await logits.data();
      times.push(performance.now() - t);
      shape = logits.shape;
      const vocab = shape[shape.length - 1];
      last = Array.from(data.subarray(data.length - vocab));
      logits.dispose();
    }
    return { executor: 'generated model, runtime layers', shape, last, loadMs, times };
  } finally {
    await model.dispose();
  }
}

async function runPlanPath(ctx: CliContext, planRt: PlanRuntime, rt: Runtime, inputs: RunInputs, options: RunOptions): Promise<ForwardReport | number> {
  const { planModel } = await import('../../compiler/plan/index.js');
  // Plan executors compute in float32 (the WebGPU one refuses 2-byte plans), so plan the float32 model.
  const planned = planModel({ ...inputs.model, dtype: 'float32' }, { text: inputs.textTokens, batch: 1 });
  if (planned.plan === undefined) {
    writeDiagnostics(ctx, ctx.stderr, 'pretty', planned.diagnostics, new Map(), ctx.cwd);
    return exitCodeFor(planned.diagnostics);
  }
  const plan = planned.plan;
  if (options.backend === 'webgpu' && !PLAN_RUNNERS.some((r) => r.backend === 'webgpu')) {
    const { webGpuPlanRunner } = await import('./run-webgpu.js');
    PLAN_RUNNERS.push(webGpuPlanRunner(rt.tf));
  }
  const runner = PLAN_RUNNERS.find((r) => r.backend === options.backend) ?? tfjsPlanRunner(planRt, options.backend);
  let t = performance.now();
  const executor = await runner.create(plan, inputs.weights);
  const loadMs = performance.now() - t;
  try {
    const feed = planInputs(plan, inputs.graph, inputs);
    const times: number[] = [];
    let last: number[] = [];
    let shape: readonly number[] = [];
    let kernels = 0;
    let peakBytes: number | undefined;
    for (let r = 0; r < options.runs; r++) {
      t = performance.now();
      const out = await executor.forward(feed);
      const data = await out.logits.data();
      times.push(performance.now() - t);
      shape = out.logits.shape;
      kernels = out.kernels;
      peakBytes = out.peakBytes;
      const vocab = shape[shape.length - 1];
      last = Array.from(data.subarray(data.length - vocab));
      out.logits.dispose();
    }
    const executorName = runner.backend === options.backend && PLAN_RUNNERS.includes(runner) ? runner.name : `${runner.name} on tfjs-${options.backend}`;
    return { executor: executorName, shape, last, loadMs, times, kernels, peakBytes };
  } finally {
    executor.dispose();
  }
}

function topK(values: readonly number[], k: number): [number, number][] {
  return values
    .map((v, i) => [i, v] as [number, number])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k);
}
