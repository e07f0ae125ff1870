/**
 * `mimo demo [--backend wasm|webgpu|cpu|tensorflow] [--out DIR] [--seed N] [--runs N] [--spec FILE] [--model ID]`
 * (what `npm start` runs): the whole path on the seed spec.
 *
 * 1. checks specs/llava_avlm.mimo and prints its diagnostics summary and stats;
 * 2. generates the TypeScript model code of every model and variant into DIR (default `out`),
 *    each file atomically, plus each model's execution plan (`<model>.plan.json`) and the WGSL of
 *    its shaders (`<model>.wgsl`), see demo-artifacts.ts;
 * 3. runs the tiny variant end to end with the code it just generated (transpiled in-process and
 *    imported): seeded random weights saved to safetensors and read back, a prompt with `<video>`
 *    and `<audio>` placeholder ids, random video frames and synthesized audio through the media
 *    front ends, a forward pass on the chosen backend; prints output shapes, timings and the top-5
 *    next-token ids.
 *
 * Exit 0 ok, 1 the spec has errors or the model cannot be generated, 2 usage or I/O error
 * (including a backend that cannot start here).
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import { analyzeModel, formatBytes, formatFlops, groupDigits } from '../../compiler/analyze/index.js';
import type { GeneratedFile, GeneratedModel } from '../../compiler/codegen/index.js';
import { fileBaseName } from '../../compiler/codegen/identifiers.js';
import { DEFAULT_RUNTIME_IMPORT, packageRoot, runtimeRunEntry } from '../../compiler/codegen/runtimeLocation.js';
import { senseInputSpec } from '../../compiler/ir/index.js';
import type { CheckedModel, Sense } from '../../compiler/model/types.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, integerArgument, writeDiagnostics } from '../report.js';
import type { CommandModule } from './index.js';
import { renderTable } from './stats.js';

type Runtime = typeof import('../../runtime/index.js');
type BackendChoice = 'wasm' | 'webgpu' | 'cpu' | 'tensorflow';

export interface DemoOptions {
  readonly backend: BackendChoice;
  readonly out: string;
  readonly seed: number;
  readonly runs: number;
  readonly spec?: string;
  readonly model?: string;
}

const DEFAULT_MODEL = 'llava_avlm/tiny';


export const demoCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('demo')
      .description('check the seed spec, generate its code, and run its tiny variant end to end')
      .addOption(new Option('--backend <name>', 'tfjs backend for the forward pass').choices(['wasm', 'webgpu', 'cpu', 'tensorflow']).default('wasm'))
      .option('-o, --out <dir>', 'where generated code, weights and run files go', 'out')
      .addOption(new Option('--seed <n>', 'seed of the random weights and media').argParser(integerArgument('the seed', 0)).default(0))
      .addOption(new Option('--runs <n>', 'forward passes to time').argParser(integerArgument('the number of runs', 1)).default(3))
      .option('--spec <file>', "spec to use (default: the package's specs/llava_avlm.mimo)")
      .option('--model <id>', `model to run (default: ${DEFAULT_MODEL}, else the spec's last model)`)
      .action((options: DemoOptions) => run(() => demo(options, ctx)));
  },
};

export async function demo(options: DemoOptions, ctx: CliContext): Promise<number> {
  const out = (text = ''): void => ctx.stdout.write(`${text}\n`);
  const root = options.spec === undefined ? packageRoot() : ctx.cwd;
  const spec = options.spec === undefined ? join(packageRoot(), 'specs', 'llava_avlm.mimo') : resolve(ctx.cwd, options.spec);
  const shownSpec = relative(ctx.cwd, spec) || spec;

  // 1. Checks and stats.
  out(`== check ${shownSpec}`);
  const { runPipeline } = await import('../../compiler/pipeline.js');
  const result = await runPipeline([spec], { root, cwd: ctx.cwd });
  writeDiagnostics(ctx, ctx.stderr, 'pretty', result.diagnostics, result.sources, root);
  const count = (s: string): number => result.diagnostics.filter((d) => d.severity === s).length;
  out(`${result.models.length} models checked (${result.models.map((m) => m.id).join(', ')}): ${count('error')} errors, ${count('warning')} warnings, ${count('note')} notes`);
  const checked = exitCodeFor(result.diagnostics);
  if (checked !== ExitCode.ok) return checked;
  out();
  out('== stats');
  out(renderStatsTable(result.models).trimEnd());

  // 2. Generated code (and other stages' artifacts).
  out();
  out(`== build → ${options.out}/`);
  const { generateCode, writeGeneratedFiles } = await import('../../compiler/codegen/index.js');
  const generated = generateCode(result.models, { specPath: relative(root, spec).split('\\').join('/') });
  writeDiagnostics(ctx, ctx.stderr, 'pretty', generated.diagnostics, result.sources, root);
  const { planArtifacts } = await import('./demo-artifacts.js');
  const extra = generated.models.flatMap((m) => {
    const model = result.models.find((x) => x.id === m.id);
    return model === undefined ? [] : planArtifacts(model, m.graph, m.file.replace(/\.ts$/, ''));
  });
  const failedWrites = await writeGeneratedFiles(options.out, [...generated.files, ...extra], ctx.cwd);
  if (failedWrites.length > 0) {
    writeDiagnostics(ctx, ctx.stderr, 'pretty', failedWrites, new Map(), root);
    return ExitCode.usage;
  }
  for (const m of generated.models) out(`  ${m.file}  ${m.className}: ${m.graph.nodes.length} IR ops, ${m.graph.weights.length} weight tensors`);
  for (const f of extra) out(`  ${f.path}`);
  if (generated.diagnostics.some((d) => d.severity === 'error')) return ExitCode.specErrors;

  // 3. Run the tiny variant with the generated code.
  const wanted = options.model ?? (generated.models.some((m) => m.id === DEFAULT_MODEL) ? DEFAULT_MODEL : generated.models[generated.models.length - 1]?.id);
  const target = generated.models.find((m) => m.id === wanted);
  const model = result.models.find((m) => m.id === wanted);
  if (target === undefined || model === undefined) {
    ctx.stderr.write(`mimo demo: no generated model \`${String(wanted)}\`; the spec has ${generated.models.map((m) => `\`${m.id}\``).join(', ')}\n`);
    return ExitCode.usage;
  }
  out();
  out(`== run ${target.id} (${target.className}, generated ${options.out}/${target.file}) on ${options.backend}`);
  return runGenerated(ctx, options, model, target, generated.files);
}

/** Parameters, tokens, sequence, FLOPs and weight memory of each model, one row each. */
function renderStatsTable(models: readonly CheckedModel[]): string {
  const senses = [...new Set(models.flatMap((m) => m.senses.map((s) => s.name)))];
  const rows: string[][] = [['model', 'params', 'trainable', ...senses.map((s) => `${s} tokens`), 'sequence', 'FLOPs/sample', 'weights']];
  for (const m of models) {
    const a = analyzeModel(m);
    rows.push([
      m.id,
      groupDigits(a.params.params),
      groupDigits(a.params.trainable),
      ...senses.map((s) => {
        const t = a.tokens.bySense.find((x) => x.sense === s);
        return t === undefined ? '-' : groupDigits(t.tokens);
      }),
      groupDigits(a.sequenceLength),
      formatFlops(a.flops.flops),
      `${formatBytes(a.memory.weights)} ${m.dtype}`,
    ]);
  }
  return renderTable(rows, ['left', 'right', 'right', ...senses.map(() => 'right' as const), 'right', 'right', 'right']);
}

interface ModelClass {
  readonly manifest: readonly { readonly name: string; readonly shape: readonly number[]; readonly init: 'normal' | 'zeros' | 'ones'; readonly std?: number }[];
  load(source: Map<string, unknown>): ModelInstance;
}

interface ModelInstance {
  nextTokenLogits(inputs: Record<string, unknown>): import('../../runtime/index.js').tf.Tensor2D;
  dispose(): void;
}

async function runGenerated(ctx: CliContext, options: DemoOptions, model: CheckedModel, target: GeneratedModel, files: readonly GeneratedFile[]): Promise<number> {
  const out = (text = ''): void => ctx.stdout.write(`${text}\n`);
  const rt: Runtime = await import('../../runtime/index.js');
  let backend;
  try {
    backend = await rt.initBackend(options.backend);
  } catch (error) {
    if (error instanceof rt.BackendUnavailableError) {
      ctx.stderr.write(`mimo demo: backend \`${options.backend}\` is not available: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
  out(`backend: ${backend.detail}`);
  const { importGenerated } = await import('../../compiler/codegen/index.js');
  const module = await importGenerated(files, resolve(ctx.cwd, options.out, '.run'), target.file, { runtimeImport: DEFAULT_RUNTIME_IMPORT, runtimeEntry: runtimeRunEntry() });
  const Model = module[target.className] as ModelClass;

  // Seeded weights → safetensors → read back.
  const weightsFile = resolve(ctx.cwd, options.out, `${fileBaseName(target.id)}.safetensors`);
  let t = performance.now();
  const initial = rt.initWeights(Model.manifest.map((w) => ({ name: w.name, shape: w.shape, init: w.init, std: w.std })), options.seed);
  await rt.writeSafetensorsFile(weightsFile, initial, { metadata: { format: 'pt', model: target.id, seed: String(options.seed) } });
  const content = await rt.readSafetensorsFile(weightsFile);
  const bytes = (await readFile(weightsFile)).byteLength;
  const source = new Map([...content.tensors].map(([name, w]) => [name, rt.tf.tensor(w.data, [...w.shape])]));
  const instance = Model.load(source);
  rt.tf.dispose([...source.values()]);
  out(`weights: ${initial.size} tensors, seed ${options.seed} → ${relative(ctx.cwd, weightsFile)} (${(bytes / 2 ** 20).toFixed(1)} MiB) → read back and loaded in ${(performance.now() - t).toFixed(0)} ms`);

  // Prompt and media.
  const prompt = demoPrompt(rt, model, options.seed);
  out(`prompt: ${prompt.ids.length} ids: ${prompt.shown}`);
  const inputs: Record<string, unknown> = { inputIds: rt.tf.tensor2d([prompt.ids], [1, prompt.ids.length], 'int32') };
  for (const [k, s] of model.senses.entries()) {
    const media = demoMedia(rt, s, options.seed);
    out(`${s.name}: ${media.note} → ${s.encoder.family} input [${media.tensor.shape.join(', ')}]`);
    inputs[target.senseKeys[k]] = media.tensor;
  }

  // Forward passes: next-token logits (the head at each row's last position only).
  const zipped = prompt.ids.length - model.senses.length + model.senses.reduce((n, s) => n + s.tokens, 0);
  const times: number[] = [];
  let logits: number[] = [];
  let shape: readonly number[] = [];
  for (let r = 0; r < options.runs; r++) {
    t = performance.now();
    const result = instance.nextTokenLogits(inputs);
    logits = Array.from(await result.data()); // async: webgpu in Node has no synchronous read-back
    times.push(performance.now() - t);
    shape = result.shape;
    result.dispose();
  }
  out(`output: next-token logits [${shape.join(', ')}] after ${zipped} zipped positions (${prompt.ids.length - model.senses.length} text + ${model.senses.map((s) => `${s.tokens} ${s.name}`).join(' + ')})`);
  out(`forward: ${times.map((x) => `${x.toFixed(0)} ms`).join(', ')} (first run includes backend warm-up)`);
  const finite = logits.every(Number.isFinite);
  const top = topK(logits, 5);
  out(`top-5 next-token ids: ${top.map(([id, v]) => `${id} (${v.toFixed(4)})`).join(', ')}${finite ? '' : ' — non-finite logits!'}`);
  instance.dispose();
  rt.tf.dispose(Object.values(inputs) as import('../../runtime/index.js').tf.Tensor[]);
  return finite ? ExitCode.ok : ExitCode.specErrors;
}

/** `BOS, 3 text ids, <video>, <audio>, 8 text ids`: text ids drawn with the seed from the base vocabulary. */
export function demoPrompt(rt: Runtime, model: CheckedModel, seed: number): { readonly ids: number[]; readonly shown: string } {
  const rng = rt.createRng(seed, 'demo.prompt');
  const text = (n: number): number[] => Array.from({ length: n }, () => 3 + (rng.nextUint32() % (model.decoder.vocab - 3)));
  const ids = [1, ...text(3), ...model.senses.map((s) => s.token.id), ...text(8)];
  const placeholder = new Map(model.senses.map((s) => [s.token.id, s.token.text]));
  const shown = `[${ids.map((id) => (placeholder.has(id) ? `${placeholder.get(id)} ${id}` : String(id))).join(', ')}]`;
  return { ids, shown };
}

/** Random frames (normalised for the encoder) or a synthesized chord through the sense's front end, batch 1. */
export function demoMedia(rt: Runtime, sense: Sense, seed: number): { readonly tensor: import('../../runtime/index.js').tf.Tensor; readonly note: string } {
  const spec = senseInputSpec(sense);
  if (spec === undefined) throw new Error(`sense ${sense.name} has no input the IR can take`);
  const rng = rt.createRng(seed, `demo.${sense.name}`);
  const input = sense.input;
  const e = sense.encoder;
  if (input.kind === 'image' || input.kind === 'video') {
    const count = input.kind === 'video' ? input.frames : 1;
    const frames = Array.from({ length: count }, () => {
      const data = new Uint8Array(input.size * input.size * 3);
      for (let i = 0; i < data.length; i++) data[i] = rng.nextUint32() & 0xff;
      return { width: input.size, height: input.size, channels: 3 as const, data };
    });
    const norm = e.family === 'siglip_vit' ? rt.SIGLIP_NORMALIZATION : rt.CLIP_NORMALIZATION;
    const pixels = rt.normalizeVideoFrames(frames, norm, { frames: count });
    const shape = input.kind === 'video' ? [1, ...pixels.shape] : pixels.shape.slice(0);
    if (input.kind === 'image') shape[0] = 1;
    return { tensor: rt.tf.tensor(pixels.data, shape), note: `${count} random ${input.size}x${input.size} frame${count === 1 ? '' : 's'}` };
  }
  // A 220/330/440 Hz chord with a little noise.
  const samples = new Float32Array(input.samples);
  for (let i = 0; i < samples.length; i++) {
    const time = i / input.sampleRate;
    const noise = (rng.nextFloat64() - 0.5) * 0.02;
    samples[i] = 0.2 * (Math.sin(2 * Math.PI * 220 * time) + Math.sin(2 * Math.PI * 330 * time) + Math.sin(2 * Math.PI * 440 * time)) + noise;
  }
  const note = `${input.seconds} s synthesized chord at ${input.sampleRate} Hz`;
  const wanted = spec.shape.slice(1) as number[];
  if (e.family === 'whisper') {
    const mel = rt.whisperLogMel(samples, { melBins: e.melBins === 128 ? 128 : 80 });
    return { tensor: fitFrames(rt, mel.data, mel.shape as number[], wanted, 1), note: `${note} → Whisper log-mel` };
  }
  const melBins = e.family === 'beats' ? e.melBins : 128;
  const fbank = rt.beatsFbank(samples, { melBins });
  return { tensor: fitFrames(rt, fbank.data, fbank.shape as number[], wanted, 0), note: `${note} → BEATs fbank` };
}

/**
 * Batch-1 tensor of a 2-D feature map with its frame axis cut or zero-padded to the count the
 * model takes (the front end and a spec's frame convention may differ by the STFT's last frame).
 */
function fitFrames(rt: Runtime, data: Float32Array, shape: number[], wanted: number[], frameAxis: 0 | 1): import('../../runtime/index.js').tf.Tensor {
  return rt.tf.tidy(() => {
    let x = rt.tf.tensor2d(data, [shape[0], shape[1]]);
    const have = shape[frameAxis];
    const need = wanted[frameAxis];
    if (have > need) x = frameAxis === 0 ? rt.tf.slice(x, [0, 0], [need, -1]) : rt.tf.slice(x, [0, 0], [-1, need]);
    if (have < need) x = rt.tf.pad(x, frameAxis === 0 ? [[0, need - have], [0, 0]] : [[0, 0], [0, need - have]]);
    return rt.tf.expandDims(x, 0);
  });
}

function topK(values: readonly number[], k: number): [number, number][] {
  return values
    .map((v, i) => [i, v] as [number, number])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k);
}
