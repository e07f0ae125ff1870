/**
 * `mimo bench <spec> [--model M] [--set path=value ...] [--batch B] [--seq S] [--decode]
 *  [--runs N] [--warmup W] [--seed N] [--json] [--root DIR]`: one model, one WebGPU device, one
 * process. Runs the fused plan through our executor (generated WGSL, one arena, one submit per
 * forward) and the unfused plan op by op through tfjs-backend-webgpu on the SAME device, on the
 * same seeded weights and inputs, and reports for each: median wall time of `--runs` forwards
 * after `--warmup` (inputs uploaded and every output read back), compute dispatches per forward
 * (counted on the device), bytes (ours: every buffer the executor allocates, weights included;
 * tfjs: its peak tensor bytes, weights included) and the largest relative error
 * (max |a − b| / max |b| over the outputs) against the plan's CPU reference interpreter.
 *
 * `--json` prints `{device, results: [{executor, backend, median_ms, dispatches, peak_bytes,
 * max_rel_error}], speedup}` (speedup = tfjs median / plan median). Exit 0 ok, 1 the spec has
 * errors, 2 usage, I/O or a missing WebGPU adapter.
 */
import { Option } from 'commander';
import { createDiagnostic } from '../../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../../compiler/diagnostics/catalog/io.js';
import { buildGraph } from '../../compiler/ir/buildGraph.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import type { Plan } from '../../compiler/plan/index.js';
import { interpretPlan } from '../../compiler/plan/interpret/plan.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, integerArgument, rootOption, writeDiagnostics, writeRunError } from '../report.js';
import { loadOneModel } from './pick-model.js';
import type { CommandModule } from './index.js';
import { batchOption, renderTable, setOption } from './stats.js';

interface BenchOptions {
  readonly model?: string;
  readonly set: string[];
  readonly batch: number;
  readonly seq?: number;
  readonly decode?: boolean;
  readonly runs: number;
  readonly warmup: number;
  readonly seed: number;
  readonly json?: boolean;
  readonly root?: string;
}

export interface BenchResult {
  readonly executor: 'plan' | 'tfjs-op-by-op';
  readonly backend: string;
  readonly median_ms: number;
  readonly dispatches: number;
  readonly peak_bytes: number;
  readonly max_rel_error: number;
}

export interface BenchReport {
  readonly device: string;
  readonly results: readonly BenchResult[];
  readonly speedup: number;
}

type HostTensor = Float32Array | Int32Array;


export const benchCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('bench')
      .description('time the fused plan on WebGPU against tfjs-webgpu op by op, on one device in one process')
      .argument('<spec>', '.mimo file')
      .option('--model <id>', 'the model or variant (default: the first model)')
      .addOption(setOption())
      .addOption(batchOption())
      .addOption(new Option('--seq <n>', "text tokens of the prompt (default: the spec's text_tokens)").argParser(integerArgument('the text length', 1)))
      .option('--decode', 'benchmark one decode step over a KV cache of the prompt length')
      .addOption(new Option('--runs <n>', 'timed forwards per executor (the median is reported)').argParser(integerArgument('--runs', 10)).default(10))
      .addOption(new Option('--warmup <n>', 'untimed forwards first (pipelines compile here)').argParser(integerArgument('--warmup', 1)).default(2))
      .addOption(new Option('--seed <n>', 'seed of the random weights and inputs').argParser(integerArgument('the seed', 0)).default(0))
      .option('--json', 'print the results as JSON')
      .addOption(rootOption())
      .action((spec: string, options: BenchOptions) => run(() => bench(spec, options, ctx)));
  },
};

async function bench(spec: string, options: BenchOptions, ctx: CliContext): Promise<number> {
  const one = await loadOneModel(ctx, spec, options);
  if (typeof one === 'number') return one;
  const { loaded, model } = one;
  const mode = options.decode === true ? 'decode' : 'prefill';
  const { planModel } = await import('../../compiler/plan/index.js');
  const fused = planModel(model, { batch: options.batch, text: options.seq, mode });
  const unfused = planModel(model, { batch: options.batch, text: options.seq, mode, passes: [] });
  const diagnostics = [...fused.diagnostics];
  if (diagnostics.length > 0) writeDiagnostics(ctx, ctx.stderr, 'pretty', diagnostics, loaded.result.sources, loaded.root);
  if (fused.plan === undefined || unfused.plan === undefined) return exitCodeFor(diagnostics) === ExitCode.ok ? ExitCode.specErrors : exitCodeFor(diagnostics);
  const graph = buildGraph(model).graph;
  if (graph === undefined) return ExitCode.specErrors;
  const { createRng } = await import('../../runtime/io/init.js');
  const weights = new Map<string, Float32Array>();
  for (const w of graph.weights) weights.set(w.name, normals(createRng(options.seed, w.name), w.shape.reduce((a, b) => a * b, 1), w.init.kind === 'normal' ? Math.max(w.init.std, 0.05) : 0.1, w.init.kind === 'ones' ? 1 : 0));
  const inputs = benchInputs(model, fused.plan, options.seed, createRng);

  // The reference: the plan's CPU interpreter on the same weights and inputs.
  const feeds = new Map<string, Tensor>(fused.plan.inputs.map((i) => [i.name, { shape: i.operand.shape, data: inputs[i.name] }]));
  const reference = interpretPlan(fused.plan, { inputs: feeds, weights });

  const rt = await import('../../runtime/index.js');
  const gpuRt = await import('../../runtime/webgpu/index.js');
  const { countDeviceWork } = await import('../../runtime/webgpu/instrument.js');
  let info;
  try {
    info = await rt.initBackend('webgpu');
  } catch (error) {
    if (!(error instanceof rt.BackendUnavailableError)) throw error;
    writeRunError(ctx, createDiagnostic(ioDiagnostics.runBackendUnavailable, undefined, { backend: 'webgpu', reason: error.message }, { help: 'mimo bench needs a WebGPU adapter (on Linux without a GPU: Mesa lavapipe, `apt-get install mesa-vulkan-drivers`)' }));
    return ExitCode.usage;
  }
  const device = (rt.tf.backend() as unknown as { device: GPUDevice }).device;
  const deviceName = info.adapter?.description || info.adapter?.vendor || info.detail;
  const gpu = await gpuRt.acquireGpu({ device, adapterDescription: info.adapter });
  const counters = countDeviceWork(device);
  const results: BenchResult[] = [];
  try {
    // Timed forwards read back what a caller uses (the logits), not a decode step's KV caches,
    // which stay on the device for the next step; one more forward reads everything to check it.
    const buffers = fused.plan.buffers;
    const hostOutputs = fused.plan.outputs.filter((o) => buffers[o.operand.buffer]?.kind !== 'kv_cache').map((o) => o.name);
    // Ours: the fused plan.
    const program = lowerPlanToWebGpu(fused.plan);
    const executor = await gpuRt.WebGpuExecutor.create(gpu, program, weights, { readOutputs: hostOutputs });
    try {
      const timed = await timeRuns(options, () => executor.forward(inputs).then((r) => r.outputs), counters);
      const checked: Record<string, HostTensor> = { ...(await executor.forward(inputs)).outputs };
      for (const io of program.outputs) checked[io.name] ??= await executor.read(io);
      results.push({ executor: 'plan', backend: 'webgpu', median_ms: timed.median, dispatches: timed.dispatches, peak_bytes: executor.stats.bytes.total, max_rel_error: maxRelError(fused.plan, checked, reference) });
    } finally {
      executor.destroy();
    }
    // tfjs: the unfused plan, op by op, on the same device.
    const { tfjsOpByOp } = await import('./bench-tfjs.js');
    const baseline = tfjsOpByOp(unfused.plan, weights);
    try {
      const timed = await timeRuns(options, () => baseline.run(inputs, hostOutputs), counters);
      const profile = await rt.tf.profile(async () => {
        await baseline.run(inputs, hostOutputs);
      });
      const checked = await baseline.run(inputs);
      results.push({ executor: 'tfjs-op-by-op', backend: 'webgpu', median_ms: timed.median, dispatches: timed.dispatches, peak_bytes: profile.peakBytes, max_rel_error: maxRelError(unfused.plan, checked, reference) });
    } finally {
      baseline.dispose();
    }
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    writeRunError(ctx, createDiagnostic(ioDiagnostics.runFailed, undefined, { reason: error.message.split('\n')[0] }, { help: 'run `mimo plan` on the spec to inspect the plan; set MIMO_DEBUG=1 for the stack' }));
    return ExitCode.usage;
  } finally {
    counters.detach();
  }
  const report: BenchReport = { device: deviceName, results, speedup: results[1].median_ms / results[0].median_ms };
  if (options.json === true) {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    ctx.stdout.write(`${model.id}: ${mode}, batch ${fused.plan.bindings.batch}, sequence ${fused.plan.bindings.seq}, on ${report.device}; median of ${options.runs} after ${options.warmup} warm-up\n\n`);
    ctx.stdout.write(
      renderTable(
        [
          ['executor', 'median', 'dispatches', 'bytes', 'max rel error'],
          ...results.map((r) => [r.executor, `${r.median_ms.toFixed(2)} ms`, String(r.dispatches), String(r.peak_bytes), r.max_rel_error.toExponential(2)]),
        ],
        ['left', 'right', 'right', 'right', 'right'],
      ),
    );
    ctx.stdout.write(`\nspeedup (tfjs / plan): ${report.speedup.toFixed(2)}×\n`);
  }
  return ExitCode.ok;
}

async function timeRuns(
  options: BenchOptions,
  forward: () => Promise<Record<string, HostTensor>>,
  counters: { readonly dispatches: number; reset(): void },
): Promise<{ median: number; dispatches: number }> {
  for (let i = 0; i < options.warmup; i++) await forward();
  counters.reset();
  await forward();
  const dispatches = counters.dispatches;
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const t0 = performance.now();
    await forward();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, dispatches };
}

function maxRelError(plan: Plan, got: Record<string, HostTensor>, reference: ReadonlyMap<string, Tensor>): number {
  let worst = 0;
  for (const o of plan.outputs) {
    const want = reference.get(o.name);
    const have = got[o.name];
    if (want === undefined || have === undefined || have.length !== want.data.length) return Infinity;
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < have.length; i++) {
      const d = Math.abs(have[i] - want.data[i]);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
      scale = Math.max(scale, Math.abs(want.data[i]));
    }
    worst = Math.max(worst, scale === 0 ? diff : diff / scale);
  }
  return worst;
}

/** The runtime's platform-independent seeded generator (runtime/io/init.ts), imported on demand. */
type SeededRng = ReturnType<typeof import('../../runtime/io/init.js').createRng>;
type CreateRng = (seed: number, name: string) => SeededRng;

/** Seeded normal(mean, std) values drawn from `rng`. */
function normals(rng: SeededRng, n: number, std: number, mean: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller on two uniforms in (0, 1].
    const u = 1 - rng.nextFloat64();
    const v = rng.nextFloat64();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Seeded inputs for every plan input: a prompt with each sense's placeholders, full masks, positions, media and caches as normals. */
export function benchInputs(model: CheckedModel, plan: Plan, seed: number, createRng: CreateRng): Record<string, HostTensor> {
  const rng = createRng(seed, 'bench-inputs');
  const placeholders = new Set(model.senses.map((s) => s.token.id));
  const textId = (): number => {
    for (;;) {
      const id = Math.floor(rng.nextFloat64() * model.decoder.vocab);
      if (!placeholders.has(id)) return id;
    }
  };
  const { batch, past } = plan.bindings;
  const out: Record<string, HostTensor> = {};
  for (const input of plan.inputs) {
    const shape = input.operand.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    const width = shape[shape.length - 1] ?? 1;
    switch (input.role) {
      case 'input_ids': {
        const ids = new Int32Array(n);
        for (let b = 0; b < batch; b++) {
          // One text token, then every sense's placeholders (prefill only), then text.
          const row: number[] = [textId()];
          if (plan.mode === 'prefill') for (const s of model.senses) for (let i = 0; i < s.tokens; i++) row.push(s.token.id);
          while (row.length < width) row.push(textId());
          ids.set(row.slice(0, width), b * width);
        }
        out[input.name] = ids;
        break;
      }
      case 'attention_mask':
        out[input.name] = new Int32Array(n).fill(1);
        break;
      case 'position_ids':
        out[input.name] = Int32Array.from({ length: n }, (_, i) => past + (i % width));
        break;
      default:
        out[input.name] = normals(createRng(seed, input.name), n, 1, 0);
    }
  }
  return out;
}
