/** What `mimo stats` does once its arguments are parsed (see stats.ts for the command). */
import {
  analysisToJson,
  analyzeModel,
  flatten,
  formatBytes,
  formatFlops,
  groupDigits,
  stringifyJson,
  type ModelAnalysis,
} from '../../compiler/analyze/index.js';
import { createDiagnostic } from '../../compiler/diagnostics/create.js';
import { ioDiagnostics } from '../../compiler/diagnostics/catalog/io.js';
import { suggest } from '../../compiler/diagnostics/suggest.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { painter, ansi, type Painter } from '../../compiler/diagnostics/render/ansi.js';
import { ExitCode, type CliContext } from '../context.js';
import { writeRunError } from '../report.js';
import { loadSpec, renderTable, type StatsOptions } from './stats.js';

export async function stats(spec: string, options: StatsOptions, ctx: CliContext): Promise<number> {
  const wanted = options.model;
  const loaded = await loadSpec(ctx, spec, {
    root: options.root,
    set: options.set,
    expandSweeps: wanted !== undefined && wanted.includes('['),
    stopOnErrors: true,
  });
  if (typeof loaded === 'number') return loaded;
  const models = loaded.result.models;
  const model = wanted === undefined ? models[0] : models.find((m) => m.id === wanted || m.name === wanted);
  if (model === undefined) {
    const ids = models.map((m) => m.id);
    const close = wanted === undefined ? undefined : suggest(wanted, ids);
    const help =
      wanted === undefined
        ? 'declare a `model` block in the spec'
        : close !== undefined
          ? `did you mean \`${close}\`?`
          : ids.length > 0
            ? `the spec declares: ${ids.map((id) => `\`${id}\``).join(', ')}`
            : 'declare a `model` block in the spec';
    writeRunError(ctx, createDiagnostic(ioDiagnostics.unknownModel, undefined, { name: wanted ?? '(any)', file: spec }, { help }));
    return ExitCode.usage;
  }
  const analysis = analyzeModel(model, { batch: options.batch, prompt: options.prompt });
  if (options.json === true) {
    ctx.stdout.write(`${stringifyJson(analysisToJson(analysis))}\n`);
  } else {
    ctx.stdout.write(renderStats(model, analysis, painter(ctx.color)));
    const others = models.filter((m) => m !== model && !m.id.includes('[')).map((m) => m.id);
    if (wanted === undefined && others.length > 0) {
      ctx.stderr.write(`note: the spec also declares ${others.map((id) => `\`${id}\``).join(', ')}; pick one with --model\n`);
    }
  }
  return ExitCode.ok;
}

// ---- the readable report -------------------------------------------------------------------------

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The text `mimo stats` prints for one model. */
export function renderStats(model: CheckedModel, analysis: ModelAnalysis, paint: Painter = painter(false)): string {
  const d = model.decoder;
  const heading = (text: string): string => `${paint(ansi.bold, text)}\n`;
  let out = `${paint(ansi.boldCyan, model.id)}: ${d.family} decoder (${plural(d.layers, 'layer')}, hidden ${d.hidden}), ${plural(model.senses.length, 'sense')}, ${model.dtype}\n\n`;

  out += heading('Parameters');
  const paramRows: string[][] = [['module', 'params', 'trainable', 'frozen', 'what']];
  for (const row of flatten(analysis.params)) {
    const n = row.node;
    paramRows.push([`${'  '.repeat(row.depth)}${n.name}`, groupDigits(n.params), groupDigits(n.trainable), groupDigits(n.params - n.trainable), n.note]);
  }
  const p = analysis.params;
  paramRows.push(['total', groupDigits(p.params), groupDigits(p.trainable), groupDigits(p.params - p.trainable), '']);
  out += renderTable(paramRows, ['left', 'right', 'right', 'right', 'left']);

  out += `\n${heading('Tokens')}`;
  const tokenRows: string[][] = [['sense', 'placeholder', 'tokens', 'derivation']];
  for (const s of analysis.tokens.bySense) {
    const derivation = s.derivation.map((step) => `${step.label} = ${groupDigits(step.value)}`).join('; ');
    tokenRows.push([s.sense, `${s.placeholder} (id ${s.placeholderId})`, groupDigits(s.tokens), derivation]);
  }
  tokenRows.push(['text', '', groupDigits(analysis.tokens.text), 'text_tokens budget']);
  tokenRows.push(['sequence', '', groupDigits(analysis.sequenceLength), `of a ${groupDigits(d.context)}-token context`]);
  out += renderTable(tokenRows, ['left', 'left', 'right', 'left']);

  const layout = analysis.layout;
  out += `\n${heading(`Layout of \`${layout.prompt}\``)}`;
  const layoutRows = layout.spans.map((s) => [
    `[${s.start}, ${s.end})`,
    s.kind === 'sense' ? s.sense : 'text',
    groupDigits(s.end - s.start),
    s.kind === 'sense' ? s.placeholder : s.text,
  ]);
  out += renderTable(layoutRows, ['left', 'left', 'right', 'left']);
  for (const problem of layout.problems) out += `  ${paint(ansi.boldYellow, 'note')}: ${problem}\n`;

  out += `\n${heading('FLOPs (one forward pass, one sample)')}`;
  const flopRows: string[][] = [];
  for (const row of flatten(analysis.flops)) {
    flopRows.push([`${'  '.repeat(row.depth)}${row.node.name}`, formatFlops(row.node.flops), groupDigits(row.node.flops), row.node.note]);
  }
  flopRows.push(['total', formatFlops(analysis.flops.flops), groupDigits(analysis.flops.flops), '']);
  out += renderTable(flopRows, ['left', 'right', 'right', 'left']);

  const m = analysis.memory;
  out += `\n${heading(`Memory (${m.dtype}, batch ${m.batch}, sequence ${groupDigits(m.sequenceLength)})`)}`;
  const w = m.weightsByDtype;
  out += renderTable(
    [
      ['weights', formatBytes(m.weights), `float32 ${formatBytes(w.float32)}, float16/bfloat16 ${formatBytes(w.bfloat16)}, int8 ${formatBytes(w.int8)}`],
      ['kv cache', formatBytes(m.kvCache), `2 x ${d.layers} layers x ${d.kvHeads} kv heads x ${d.headDim} x ${groupDigits(m.sequenceLength)} positions x batch`],
      ['activations', formatBytes(m.activations), 'peak of an inference forward (compiler/analyze/README.md)'],
      ['total', formatBytes(m.total), ''],
    ],
    ['left', 'right', 'left'],
  );
  return out;
}
