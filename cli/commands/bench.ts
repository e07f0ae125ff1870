/**
 * `mimo bench <spec> [--model M] [--set path=value ...] [--batch B] [--seq S] [--decode]
 *  [--backend webgpu|wasm|cpu|tensorflow] [--runs N] [--warmup W] [--seed N] [--tune auto|gpu|cpu]
 *  [--json] [--root DIR]`: one model, one device, one process, the same seeded weights and inputs.
 *
 * On webgpu (default): the fused plan through our executor (generated WGSL, one arena, one submit
 * per forward) against the unfused plan op by op through tfjs-backend-webgpu on the SAME device.
 * On a tfjs backend (wasm, cpu, tensorflow): the fused plan through the tfjs plan executor
 * (runtime/plan: tfjs fused ops) against the same unfused plan op by op on that backend.
 *
 * For each: median wall time of `--runs` forwards after `--warmup` (inputs uploaded, what a caller
 * uses read back), dispatches per forward (webgpu: compute dispatches counted on the device; tfjs
 * backends: tfjs kernels run, from tf.profile), bytes (webgpu ours: every buffer the executor
 * allocates; tfjs: the peak of resident tensor data during a forward, each data buffer once —
 * `trackResidentBytes`, since tf.profile counts a reshape's data again; weights included) and
 * the largest relative error (max |a − b| / max |b| over the outputs) against the plan's CPU
 * reference interpreter.
 *
 * Our kernels are tuned for the adapter (`--tune auto`): a fallback adapter that runs WebGPU on the
 * CPU (lavapipe, SwiftShader) gets matmuls without workgroup staging; `--tune gpu|cpu` forces one.
 *
 * `--json` prints `{device, tuned_for?, results: [{executor, backend, median_ms, dispatches,
 * peak_bytes, max_rel_error}], speedup}` (speedup = op-by-op median / plan median; `tuned_for`
 * on webgpu only). Exit 0 ok, 1 the spec has errors, 2 usage, I/O or a backend that is missing.
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
  readonly tune: 'auto' | 'gpu' | 'cpu';
  readonly backend: BenchBackend;
}

type BenchBackend = 'webgpu' | 'wasm' | 'cpu' | 'tensorflow';

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
  /** webgpu: the adapter class our kernels were lowered for. */
  readonly tuned_for?: 'gpu' | 'cpu';
  readonly results: readonly BenchResult[];
  readonly speedup: number;
}

type HostTensor = Float32Array | Int32Array;


export const benchCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('bench')
      .description('time the fused plan against tfjs op by op, on one device in one process (webgpu: generated WGSL vs tfjs-webgpu; wasm, cpu, tensorflow: the tfjs plan executor)')
      .argument('<spec>', '.mimo file')
      .option('--model <id>', 'the model or variant (default: the first model)')
      .addOption(setOption())
      .addOption(batchOption())
      .addOption(new Option('--seq <n>', "text tokens of the prompt (default: the spec's text_tokens)").argParser(integerArgument('the text length', 1)))
      .option('--decode', 'benchmark one decode step over a KV cache of the prompt length')
      .addOption(new Option('--backend <name>', 'webgpu: our WGSL executor vs tfjs-webgpu; a tfjs backend: the tfjs plan executor vs op by op').choices(['webgpu', 'wasm', 'cpu', 'tensorflow']).default('webgpu'))
      .addOption(new Option('--runs <n>', 'timed forwards per executor (the median is reported)').argParser(integerArgument('--runs', 10)).default(10))
      .addOption(new Option('--warmup <n>', 'untimed forwards first (pipelines compile here)').argParser(integerArgument('--warmup', 1)).default(2))
      .addOption(new Option('--seed <n>', 'seed of the random weights and inputs').argParser(integerArgument('the seed', 0)).default(0))
      .addOption(new Option('--tune <class>', 'tune our kernels for the adapter found (auto), a GPU, or a CPU fallback adapter').choices(['auto', 'gpu', 'cpu']).default('auto'))
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
  let measured: Measured | number;
  try {
    measured = options.backend === 'webgpu' ? await benchWebGpu(ctx, rt, options, fused.plan, unfused.plan, weights, inputs, reference) : await benchTfjs(ctx, rt, options, fused.plan, unfused.plan, weights, inputs, reference);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    writeRunError(ctx, createDiagnostic(ioDiagnostics.runFailed, undefined, { reason: error.message.split('\n')[0] }, { help: 'run `mimo plan` on the spec to inspect the plan; set MIMO_DEBUG=1 for the stack' }));
    return ExitCode.usage;
  }
  if (typeof measured === 'number') return measured;
  const { device: deviceName, tunedFor, results } = measured;
  const report: BenchReport = { device: deviceName, ...(tunedFor === undefined ? {} : { tuned_for: tunedFor }), results, speedup: results[1].median_ms / results[0].median_ms };
  if (options.json === true) {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    ctx.stdout.write(`${model.id}: ${mode}, batch ${fused.plan.bindings.batch}, sequence ${fused.plan.bindings.seq}, on ${report.device}${tunedFor === undefined ? '' : ` (kernels tuned for a ${tunedFor === 'cpu' ? 'CPU fallback adapter' : 'GPU'})`}; median of ${options.runs} after ${options.warmup} warm-up\n\n`);
    ctx.stdout.write(
      renderTable(
        [
          ['executor', 'backend', 'median', 'dispatches', 'bytes', 'max rel error'],
          ...results.map((r) => [r.executor, r.backend, `${r.median_ms.toFixed(2)} ms`, String(r.dispatches), String(r.peak_bytes), r.max_rel_error.toExponential(2)]),
        ],
        ['left', 'left', 'right', 'right', 'right', 'right'],
      ),
    );
    ctx.stdout.write(`\nspeedup (op by op / plan): ${report.speedup.toFixed(2)}×\n`);
  }
  return ExitCode.ok;
}

/** What one backend's comparison measured: ours first, then the op-by-op peer. */
interface Measured {
  readonly device: string;
  readonly tunedFor?: 'gpu' | 'cpu';
  readonly results: readonly [BenchResult, BenchResult];
}

type Runtime = typeof import('../../runtime/index.js');

/** Outputs a caller reads each forward: not a decode step's KV caches, which stay for the next step. */
function hostOutputNames(plan: Plan): string[] {
  return plan.outputs.filter((o) => plan.buffers[o.operand.buffer]?.kind !== 'kv_cache').map((o) => o.name);
}

function backendMissing(ctx: CliContext, rt: Runtime, backend: BenchBackend, error: unknown, help: string): number {
  if (!(error instanceof rt.BackendUnavailableError)) throw error;
  writeRunError(ctx, createDiagnostic(ioDiagnostics.runBackendUnavailable, undefined, { backend, reason: error.message }, { help }));
  return ExitCode.usage;
}

/** Our WGSL executor against tfjs-webgpu op by op, on one device. */
async function benchWebGpu(ctx: CliContext, rt: Runtime, options: BenchOptions, fused: Plan, unfused: Plan, weights: ReadonlyMap<string, Float32Array>, inputs: Record<string, HostTensor>, reference: ReadonlyMap<string, Tensor>): Promise<Measured | number> {
  const gpuRt = await import('../../runtime/webgpu/index.js');
  let info;
  try {
    info = await rt.initBackend('webgpu');
  } catch (error) {
    return backendMissing(ctx, rt, 'webgpu', error, 'mimo bench needs a WebGPU adapter (on Linux without a GPU: Mesa lavapipe, `apt-get install mesa-vulkan-drivers`), or pick a tfjs backend with --backend');
  }
  const device = (rt.tf.backend() as unknown as { device: GPUDevice }).device;
  const gpu = await gpuRt.acquireGpu({ device, adapterDescription: info.adapter });
  const counters = gpuRt.countDeviceWork(device);
  const tunedFor = options.tune === 'auto' ? gpuRt.adapterClass(gpu.adapter) : options.tune;
  const dispatchesOf = async (forward: () => Promise<unknown>): Promise<number> => {
    counters.reset();
    await forward();
    return counters.dispatches;
  };
  const hostOutputs = hostOutputNames(fused);
  try {
    // Ours: the fused plan. One more forward after timing reads every output to check it.
    const program = lowerPlanToWebGpu(fused, { adapter: tunedFor, maxBindingBytes: device.limits.maxStorageBufferBindingSize });
    const executor = await gpuRt.WebGpuExecutor.create(gpu, program, weights, { readOutputs: hostOutputs });
    let ours: BenchResult;
    try {
      const forward = (): Promise<unknown> => executor.forward(inputs);
      const median = await timeRuns(options, forward);
      const dispatches = await dispatchesOf(forward);
      const checked: Record<string, HostTensor> = { ...(await executor.forward(inputs)).outputs };
      for (const io of program.outputs) checked[io.name] ??= await executor.read(io);
      ours = { executor: 'plan', backend: 'webgpu', median_ms: median, dispatches, peak_bytes: executor.stats.bytes.total, max_rel_error: maxRelError(fused, checked, reference) };
    } finally {
      executor.destroy();
    }
    // tfjs: the unfused plan, op by op, on the same device.
    const { tfjsOpByOp, trackResidentBytes } = await import('./bench-tfjs.js');
    const resident = trackResidentBytes();
    const baseline = tfjsOpByOp(unfused, weights);
    try {
      const forward = (): Promise<unknown> => baseline.run(inputs, hostOutputs);
      const median = await timeRuns(options, forward);
      const dispatches = await dispatchesOf(forward);
      resident.resetPeak();
      await forward();
      const peer: BenchResult = { executor: 'tfjs-op-by-op', backend: 'webgpu', median_ms: median, dispatches, peak_bytes: resident.peak, max_rel_error: maxRelError(unfused, await baseline.run(inputs), reference) };
      return { device: info.adapter?.description || info.adapter?.vendor || info.detail, tunedFor, results: [ours, peer] };
    } finally {
      baseline.dispose();
      resident.detach();
    }
  } finally {
    counters.detach();
  }
}

/** The tfjs plan executor (fused tfjs ops) against the unfused plan op by op, on one tfjs backend. */
async function benchTfjs(ctx: CliContext, rt: Runtime, options: BenchOptions, fused: Plan, unfused: Plan, weights: ReadonlyMap<string, Float32Array>, inputs: Record<string, HostTensor>, reference: ReadonlyMap<string, Tensor>): Promise<Measured | number> {
  const backend = options.backend;
  let info;
  try {
    info = await rt.initBackend(backend);
  } catch (error) {
    return backendMissing(ctx, rt, backend, error, 'pick another backend with --backend (wasm runs everywhere)');
  }
  const planRt = await import('../../runtime/plan/index.js');
  const { tf } = rt;
  const hostOutputs = hostOutputNames(fused);
  const { tfjsOpByOp, trackResidentBytes } = await import('./bench-tfjs.js');
  // Counted from before either side loads its weights: what each holds plus its peak in a forward.
  const resident = trackResidentBytes();
  /** tfjs kernels one forward runs, and the peak of resident tensor data during another. */
  const profiled = async (forward: () => Promise<unknown>): Promise<{ dispatches: number; peakBytes: number }> => {
    const p = await tf.profile(async () => {
      await forward();
    });
    resident.resetPeak();
    await forward();
    return { dispatches: p.kernels.length, peakBytes: resident.peak };
  };
  try {
    const ours = await benchPlanExecutor();
    const baseline = tfjsOpByOp(unfused, weights);
    try {
      const forward = (): Promise<unknown> => baseline.run(inputs, hostOutputs);
      const median = await timeRuns(options, forward);
      const { dispatches, peakBytes } = await profiled(forward);
      const peer: BenchResult = { executor: 'tfjs-op-by-op', backend, median_ms: median, dispatches, peak_bytes: peakBytes, max_rel_error: maxRelError(unfused, await baseline.run(inputs), reference) };
      return { device: info.detail, results: [ours, peer] };
    } finally {
      baseline.dispose();
    }
  } finally {
    resident.detach();
  }

  /** The fused plan through the tfjs plan executor (loaded after the tracker, so its weights count). */
  async function benchPlanExecutor(): Promise<BenchResult> {
    const executor = planRt.createPlanExecutor(fused, weights);
    try {
      const run = async (read: readonly string[]): Promise<Record<string, HostTensor>> => {
        const { outputs } = await executor.forward(inputs);
        const host: Record<string, HostTensor> = {};
        try {
          for (const name of read) {
            const t = outputs[name];
            if (t === undefined) throw new Error(`the tfjs plan executor returned no \`${name}\``);
            host[name] = (await t.data()) as HostTensor;
          }
        } finally {
          for (const t of Object.values(outputs)) t.dispose();
        }
        return host;
      };
      const forward = (): Promise<unknown> => run(hostOutputs);
      const median = await timeRuns(options, forward);
      const { dispatches, peakBytes } = await profiled(forward);
      const checked = await run(fused.outputs.map((o) => o.name));
      return { executor: 'plan', backend, median_ms: median, dispatches, peak_bytes: peakBytes, max_rel_error: maxRelError(fused, checked, reference) };
    } finally {
      executor.dispose();
    }
  }
}

/** Median wall time of `--runs` forwards after `--warmup` untimed ones. */
async function timeRuns(options: BenchOptions, forward: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < options.warmup; i++) await forward();
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const t0 = performance.now();
    await forward();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
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
