/**
 * `mimo plan <spec> [--model M] [--set path=value ...] [--target h100|a100|l4|laptop|cpu]
 *  [--batch B] [--seq S] [--decode] [--json] [--html out.html] [-o plan.json]`: lowers one model
 * to its fused execution plan and prints ops before and kernels after fusion, bytes before and
 * after, the arena against the no-reuse sum and the lower bound, and the modeled time by kernel
 * class. `-o` writes plan.json (validated against its schema), `--html` a page with a roofline
 * chart; both atomically. `--read plan.json` validates an existing plan and prints its report;
 * `--schema` prints the plan JSON Schema.
 *
 * Diagnostics go to stderr. Exit 0 ok, 1 the spec has errors (or the plan file is invalid),
 * 2 usage or I/O error.
 */
import { Option } from 'commander';
import { writeFileAtomic, readSourceFile } from '../../compiler/io/index.js';
import type { Plan } from '../../compiler/plan/index.js';
import { TARGET_IDS, type TargetId } from '../../compiler/plan/devices.js';
import { planHtml, formatBytes, formatMs } from '../../compiler/plan/html.js';
import { planSchemaText } from '../../compiler/plan/schema.js';
import { painter, ansi, type Painter } from '../../compiler/diagnostics/render/ansi.js';
import { ExitCode, type CliContext } from '../context.js';
import { exitCodeFor, integerArgument, rootOption, writeDiagnostics, writeRunError } from '../report.js';
import { loadOneModel } from './pick-model.js';
import type { CommandModule } from './index.js';
import { batchOption, renderTable, setOption } from './stats.js';

interface PlanCliOptions {
  readonly model?: string;
  readonly set: string[];
  readonly target: TargetId;
  readonly batch: number;
  readonly seq?: number;
  readonly decode?: boolean;
  readonly json?: boolean;
  readonly html?: string;
  readonly output?: string;
  readonly read?: string;
  readonly schema?: boolean;
  readonly root?: string;
}

function countOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(integerArgument(flags.split(' ')[0], 1));
}

export const planCommand: CommandModule = {
  register(program, ctx, run) {
    program
      .command('plan')
      .description('fuse a model into an execution plan: kernels, memory arena and modeled time on a device')
      .argument('[spec]', '.mimo file')
      .option('--model <id>', 'the model, variant (base/variant) or sweep point (default: the first model)')
      .addOption(setOption())
      .addOption(new Option('--target <device>', 'device profile of the cost model').choices([...TARGET_IDS]).default('h100'))
      .addOption(batchOption())
      .addOption(countOption('--seq <n>', "text tokens of the prompt (default: the spec's text_tokens); senses add their tokens"))
      .option('--decode', 'plan one decode step with a KV cache of the prompt length')
      .option('--json', 'print the summary, memory, cost and passes as JSON')
      .option('--html <file>', 'write a self-contained HTML report with a roofline chart')
      .option('-o, --output <file>', 'write plan.json')
      .option('--read <file>', 'validate an existing plan.json and print its report (no spec needed)')
      .option('--schema', 'print the plan JSON Schema and exit')
      .addOption(rootOption())
      .action((spec: string | undefined, options: PlanCliOptions) => run(() => plan(spec, options, ctx)));
  },
};

async function plan(spec: string | undefined, options: PlanCliOptions, ctx: CliContext): Promise<number> {
  const { planModel } = await import('../../compiler/plan/index.js');
  const { parsePlan, serializePlan } = await import('../../compiler/plan/planJson.js');
  if (options.schema === true) {
    ctx.stdout.write(planSchemaText());
    return ExitCode.ok;
  }
  let result: Plan;
  if (options.read !== undefined) {
    const read = await readSourceFile(options.read, { cwd: ctx.cwd });
    if (!read.ok) {
      writeRunError(ctx, read.diagnostic);
      return ExitCode.usage;
    }
    const text = new TextDecoder().decode(read.bytes);
    const parsed = parsePlan(text, options.read);
    if (parsed.plan === undefined) {
      writeDiagnostics(ctx, ctx.stderr, 'pretty', [parsed.diagnostic], new Map([[options.read, text]]), ctx.cwd);
      return ExitCode.specErrors;
    }
    result = parsed.plan;
  } else {
    if (spec === undefined) {
      ctx.stderr.write('error: missing argument: a .mimo spec (or --read plan.json, or --schema)\n(run `mimo plan --help` for usage)\n');
      return ExitCode.usage;
    }
    const one = await loadOneModel(ctx, spec, options);
    if (typeof one === 'number') return one;
    const { loaded, model } = one;
    const planned = planModel(model, { batch: options.batch, text: options.seq, mode: options.decode === true ? 'decode' : 'prefill', target: options.target });
    if (planned.diagnostics.length > 0) writeDiagnostics(ctx, ctx.stderr, 'pretty', planned.diagnostics, loaded.result.sources, loaded.root);
    if (planned.plan === undefined) return exitCodeFor(planned.diagnostics) === ExitCode.ok ? ExitCode.specErrors : exitCodeFor(planned.diagnostics);
    result = planned.plan;
    if (options.output !== undefined) {
      const failure = await writeFileAtomic(options.output, serializePlan(result), { cwd: ctx.cwd });
      if (failure !== undefined) {
        writeRunError(ctx, failure);
        return ExitCode.usage;
      }
    }
  }
  if (options.html !== undefined) {
    const failure = await writeFileAtomic(options.html, planHtml(result), { cwd: ctx.cwd });
    if (failure !== undefined) {
      writeRunError(ctx, failure);
      return ExitCode.usage;
    }
  }
  if (options.json === true) {
    const { format, version, model, mode, target, dtype, bindings, summary, memory, cost, passes } = result;
    ctx.stdout.write(`${JSON.stringify({ format, version, model, mode, target, dtype, bindings, summary, memory, cost, passes }, null, 2)}\n`);
  } else {
    ctx.stdout.write(renderPlan(result, painter(ctx.color)));
    if (options.output !== undefined) ctx.stdout.write(`\nwrote ${options.output}\n`);
    if (options.html !== undefined) ctx.stdout.write(`${options.output === undefined ? '\n' : ''}wrote ${options.html}\n`);
  }
  return ExitCode.ok;
}

function pct(a: number, b: number): string {
  return b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`;
}

/** The text report of a plan. */
export function renderPlan(p: Plan, paint: Painter = painter(false)): string {
  const s = p.summary;
  const heading = (text: string): string => `${paint(ansi.bold, text)}\n`;
  const b = p.bindings;
  let out = `${paint(ansi.boldCyan, p.model)}: ${p.mode} plan, batch ${b.batch}, ${b.text} text tokens, sequence ${b.seq}${p.mode === 'decode' ? ` (one token after ${b.past} cached)` : ''}, ${p.dtype}, ${p.cost.device}\n\n`;
  out += renderTable(
    [
      ['', 'unfused', 'fused', 'fused/unfused'],
      ['ops → kernels', String(s.ops_unfused), String(s.kernels), pct(s.kernels, s.ops_unfused)],
      ['bytes moved', formatBytes(s.bytes_unfused), formatBytes(s.bytes_fused), pct(s.bytes_fused, s.bytes_unfused)],
      ['estimated time', formatMs(s.unfused_estimated_ms), formatMs(s.estimated_ms), pct(s.estimated_ms, s.unfused_estimated_ms)],
    ],
    ['left', 'right', 'right', 'right'],
  );
  out += `  (${s.prepare_kernels} load-time kernels pack and prepare weights once)\n`;
  out += `\n${heading('Memory')}`;
  out += renderTable(
    [
      ['arena (planned)', formatBytes(s.arena_bytes), ''],
      ['no reuse (sum of buffers)', formatBytes(s.naive_bytes), `arena is ${pct(s.arena_bytes, s.naive_bytes)} of it`],
      ['lower bound (largest live set)', formatBytes(s.lower_bound_bytes), `arena is ${pct(s.arena_bytes, s.lower_bound_bytes)} of it`],
      ['in place', `${p.memory.inPlace} buffers`, 'reuse a dead input'],
      ['weights (separate)', formatBytes(s.weight_bytes), p.memory.preparedBytes > 0 ? `+ ${formatBytes(p.memory.preparedBytes)} prepared at load (packed copies; weights read only by packing can be freed)` : ''],
      ['KV cache (separate)', formatBytes(s.kv_cache_bytes), ''],
    ],
    ['left', 'right', 'left'],
  );
  out += `\n${heading('Time by kernel class')}`;
  const rows: string[][] = [['class', 'kernels', 'GFLOP', 'bytes', 'time', 'share']];
  for (const [c, t] of Object.entries(p.cost.byClass)) {
    if (t.kernels === 0) continue;
    rows.push([c, String(t.kernels), (t.flops / 1e9).toFixed(2), formatBytes(t.bytes), formatMs(t.ms), pct(t.ms, p.cost.totalMs)]);
  }
  rows.push(['total', String(s.kernels), (s.flops / 1e9).toFixed(2), formatBytes(s.bytes_fused), formatMs(s.estimated_ms), '']);
  out += renderTable(rows, ['left', 'right', 'right', 'right', 'right', 'right']);
  out += `\n${heading('Passes (kernels before → after)')}`;
  out += renderTable(
    p.passes.map((x) => [x.pass, String(x.kernelsBefore), '→', String(x.kernelsAfter)]),
    ['left', 'right', 'left', 'right'],
  );
  return out;
}
