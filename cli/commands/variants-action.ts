/** What `mimo variants` does once its arguments are parsed (see variants.ts for the command). */
import { SingleBar } from 'cli-progress';
import { analyzeModel, formatBytes, formatFlops, groupDigits, stringifyJson, type ModelAnalysis } from '../../compiler/analyze/index.js';
import { checkModel, checkProgram, DiagnosticSink } from '../../compiler/check/index.js';
import { painter, ansi } from '../../compiler/diagnostics/render/ansi.js';
import type { Diagnostic } from '../../compiler/diagnostics/types.js';
import { loadPresetCatalog } from '../../compiler/presets/index.js';
import { loadProgram, resolveProgram, type ResolvedModel } from '../../compiler/resolve/index.js';
import { parseFile, parseSource } from '../../grammar/parse.js';
import { ExitCode, type CliContext, type OutputStream } from '../context.js';
import { exitCodeFor, resolveRoot, writeDiagnostics, writeRunError } from '../report.js';
import { renderTable } from './stats.js';
import type { VariantsOptions } from './variants.js';

/** One model, variant or sweep point: its analysis when it passed its checks, else its first error. */
export interface VariantRow {
  readonly id: string;
  readonly kind: 'model' | 'variant' | 'sweep';
  readonly analysis: ModelAnalysis | undefined;
  readonly firstError: Diagnostic | undefined;
  readonly errors: number;
}

/** Points from which the progress bar is worth showing. */
const progressThreshold = 50;

export async function variants(spec: string, options: VariantsOptions, ctx: CliContext): Promise<number> {
  const root = await resolveRoot(ctx, options.root);
  if ('diagnostic' in root) {
    writeRunError(ctx, root.diagnostic);
    return ExitCode.usage;
  }
  const program = await loadProgram([spec], { root: root.root, cwd: ctx.cwd, parse: (bytes, path) => parseFile(bytes, path) });
  const sink = new DiagnosticSink();
  sink.addAll(program.diagnostics);
  const sources = new Map(program.sources);
  let rows: VariantRow[] = [];
  if (program.files.length > 0) {
    const resolved = resolveProgram(program, { overrides: options.set, parseText: parseSource, presets: loadPresetCatalog() });
    sink.addAll(resolved.diagnostics);
    for (const [path, text] of resolved.sources) if (!sources.has(path)) sources.set(path, text);
    // Models and variants (and the asserts about them) as `mimo check` sees them...
    const declared = resolved.models.filter((m) => m.origin.kind !== 'sweep');
    checkProgram({ ...resolved, models: declared }, sink, sources);
    // ...then every row, each checked on its own so that one point's errors never hide another's.
    rows = checkRows(resolved.models, options.batch, sink, progress(ctx.stderr, resolved.models.length));
  }
  const diagnostics = sink.diagnostics();
  writeDiagnostics(ctx, ctx.stderr, 'pretty', diagnostics, sources, root.root);
  const code = exitCodeFor(diagnostics);
  if (code === ExitCode.usage) return code;
  if (options.json === true) ctx.stdout.write(`${stringifyJson(variantsJson(rows, options.batch))}\n`);
  else if (options.markdown === true) ctx.stdout.write(renderVariantsMarkdown(rows));
  else ctx.stdout.write(renderVariantsText(rows, ctx.color));
  return code;
}

interface Progress {
  tick(): void;
  stop(): void;
}

/** A cli-progress bar on `stream` when it is a terminal and there are enough points; else nothing. */
function progress(stream: OutputStream, total: number): Progress {
  if (!stream.isTTY || total < progressThreshold) return { tick: () => undefined, stop: () => undefined };
  // cli-progress writes text and cursor movements to `stream` (readline's helpers only call write()).
  const target = { write: (text: string) => (stream.write(text), true), isTTY: true } as unknown as NodeJS.WriteStream;
  const bar = new SingleBar({ stream: target, format: 'checking {bar} {value}/{total} points', hideCursor: true, clearOnComplete: true });
  bar.start(total, 0);
  let done = 0;
  return {
    tick: () => bar.update(++done),
    stop: () => bar.stop(),
  };
}

/** Checks and analyses every resolved model; sweep points' diagnostics also go to the sink. */
export function checkRows(models: readonly ResolvedModel[], batch: number, sink: DiagnosticSink, bar: Progress = { tick: () => undefined, stop: () => undefined }): VariantRow[] {
  const rows: VariantRow[] = [];
  try {
    for (const model of models) {
      const result = checkModel(model);
      if (model.origin.kind === 'sweep') sink.addAll(result.diagnostics);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      rows.push({
        id: model.id,
        kind: model.origin.kind,
        analysis: result.checked === undefined ? undefined : analyzeModel(result.checked, { batch, layout: false }),
        firstError: errors[0],
        errors: errors.length,
      });
      bar.tick();
    }
  } finally {
    bar.stop();
  }
  return rows;
}

// ---- renderings ----------------------------------------------------------------------------------

function tokensCell(a: ModelAnalysis): string {
  return [...a.tokens.bySense.map((s) => `${s.sense} ${groupDigits(s.tokens)}`), `text ${groupDigits(a.tokens.text)}`].join(', ');
}

function errorCell(row: VariantRow): string {
  const d = row.firstError;
  if (d === undefined) return row.analysis === undefined ? 'fail' : 'ok';
  const where = d.span === undefined ? '' : ` (${d.span.file}:${d.span.line}:${d.span.column})`;
  const more = row.errors > 1 ? ` (+${row.errors - 1} more)` : '';
  return `fail: ${d.code} ${d.message}${where}${more}`;
}

const headers = ['id', 'params', 'trainable', 'tokens', 'sequence', 'FLOPs', 'weights', 'memory', 'status'];

function cells(row: VariantRow): string[] {
  const a = row.analysis;
  if (a === undefined) return [row.id, '', '', '', '', '', '', '', errorCell(row)];
  return [
    row.id,
    groupDigits(a.params.params),
    groupDigits(a.params.trainable),
    tokensCell(a),
    groupDigits(a.sequenceLength),
    formatFlops(a.flops.flops),
    formatBytes(a.memory.weights),
    formatBytes(a.memory.total),
    errorCell(row),
  ];
}

function summary(rows: readonly VariantRow[]): string {
  const failed = rows.filter((r) => r.analysis === undefined).length;
  return `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}: ${rows.length - failed} ok, ${failed} failing`;
}

/** The terminal table: one row per model, variant and sweep point, then a count. */
export function renderVariantsText(rows: readonly VariantRow[], color = false): string {
  const paint = painter(color);
  const body = renderTable([headers, ...rows.map(cells)], ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'left'], '');
  const [head, ...rest] = body.split('\n');
  return `${paint(ansi.bold, head)}\n${rest.join('\n')}${summary(rows)}\n`;
}

function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

/** A GitHub-flavoured Markdown table of the same columns. */
export function renderVariantsMarkdown(rows: readonly VariantRow[]): string {
  const align = ['---', '---:', '---:', '---', '---:', '---:', '---:', '---:', '---'];
  const lines = [
    `| ${headers.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((row) => `| ${cells(row).map(markdownCell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n\n${summary(rows)}\n`;
}

/** The JSON form: one object per row, counts as exact integers. */
export function variantsJson(rows: readonly VariantRow[], batch: number): unknown {
  return {
    batch,
    rows: rows.map((row) => {
      const a = row.analysis;
      const d = row.firstError;
      const error =
        d === undefined
          ? undefined
          : { code: d.code, message: d.message, file: d.span?.file, line: d.span?.line, column: d.span?.column, count: row.errors };
      if (a === undefined) return { id: row.id, kind: row.kind, ok: false, error };
      const bySense: Record<string, number> = {};
      for (const s of a.tokens.bySense) bySense[s.sense] = s.tokens;
      return {
        id: row.id,
        kind: row.kind,
        ok: true,
        params: { total: a.params.params, trainable: a.params.trainable, frozen: a.params.params - a.params.trainable },
        tokens: { by_sense: bySense, text: a.tokens.text },
        sequence_length: a.sequenceLength,
        flops: a.flops.flops,
        memory: { weights: a.memory.weights, kv_cache: a.memory.kvCache, activations: a.memory.activations, total: a.memory.total },
      };
    }),
  };
}
