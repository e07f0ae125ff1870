/**
 * The one dotted-path language of variants, sweeps and `--set`: `decoder.layers`,
 * `vision.input.frames`, `vision.encoder.select_layer`, `text_tokens`. The first segment is a
 * model-level field or a sense name; the rest walk into components. The last segment may name a
 * field that is not set yet (the checker then says whether the field exists); every segment
 * before it must exist.
 */
import type { Identifier } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { asComponent } from './build.js';
import type { FieldMap, ResolvedModelBody, ResolvedValue } from './tree.js';

/** A path as written: its segments with their spans, and the span of the whole path. */
export interface PathRef {
  readonly segments: readonly Identifier[];
  readonly span: Span;
}

export type SetResult = { readonly ok: true; readonly body: ResolvedModelBody } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Model-level names the path language knows even when a model has not set them. */
const modelLevelNames = ['decoder', 'text_tokens', 'dtype'];

/** Sets the value at `path` in a model body, returning the new body or why the path is wrong. */
export function setPath(body: ResolvedModelBody, path: PathRef, value: ResolvedValue, modelId: string): SetResult {
  const [first, ...rest] = path.segments;
  const text = path.segments.map((s) => s.name).join('.');
  const sense = body.senses.get(first.name);
  if (sense !== undefined) {
    if (rest.length === 0) {
      return fail(
        createDiagnostic(resolveDiagnostics.senseNotAssignable, path.span, { path: text }, {
          help: `set one of its fields instead, e.g. \`${text}.input\` or \`${text}.encoder.layers\``,
        }),
      );
    }
    const fields = setIn(sense.fields, rest, value, [first.name], text);
    if (!fields.ok) return fields;
    const senses = new Map(body.senses);
    senses.set(first.name, { ...sense, fields: fields.fields });
    return { ok: true, body: { fields: body.fields, senses } };
  }
  if (rest.length > 0 && !body.fields.has(first.name)) {
    const candidates = [...new Set([...body.senses.keys(), ...body.fields.keys(), ...modelLevelNames])];
    const guess = suggest(first.name, candidates);
    return fail(
      createDiagnostic(resolveDiagnostics.unknownPath, first.span, { path: text, owner: `model \`${modelId}\``, segment: first.name }, {
        help:
          (guess !== undefined ? `did you mean \`${guess}\`? ` : '') +
          `a path starts with a sense (${[...body.senses.keys()].map((s) => `\`${s}\``).join(', ') || 'none'}) or a model field (${modelLevelNames.map((s) => `\`${s}\``).join(', ')})`,
        fix: guess !== undefined ? { description: `use \`${guess}\``, span: first.span, replacement: guess } : undefined,
      }),
    );
  }
  const fields = setIn(body.fields, path.segments, value, [], text);
  if (!fields.ok) return fields;
  return { ok: true, body: { fields: fields.fields, senses: body.senses } };
}

type FieldsResult = { readonly ok: true; readonly fields: FieldMap } | { readonly ok: false; readonly diagnostic: Diagnostic };

function setIn(fields: FieldMap, segments: readonly Identifier[], value: ResolvedValue, prefix: readonly string[], text: string): FieldsResult {
  const [head, ...rest] = segments;
  const next = new Map(fields);
  if (rest.length === 0) {
    next.set(head.name, { name: head.name, keySpan: head.span, value });
    return { ok: true, fields: next };
  }
  const existing = fields.get(head.name);
  const owner = prefix.length === 0 ? 'the model' : `\`${prefix.join('.')}\``;
  if (existing === undefined) {
    const guess = suggest(head.name, [...fields.keys()]);
    return fail(
      createDiagnostic(resolveDiagnostics.unknownPath, head.span, { path: text, owner, segment: head.name }, {
        help:
          (guess !== undefined ? `did you mean \`${guess}\`? ` : '') +
          (fields.size > 0 ? `${owner} has ${[...fields.keys()].map((k) => `\`${k}\``).join(', ')}; ` : '') +
          `to set a field inside \`${[...prefix, head.name].join('.')}\`, the model must set \`${head.name}\` first (e.g. \`${head.name} KIND(...)\`)`,
        fix: guess !== undefined ? { description: `use \`${guess}\``, span: head.span, replacement: guess } : undefined,
      }),
    );
  }
  const component = asComponent(existing.value);
  if (component === undefined) {
    return fail(
      createDiagnostic(resolveDiagnostics.pathThroughValue, head.span, { path: text, prefix: [...prefix, head.name].join('.') }, {
        help: `\`${[...prefix, head.name].join('.')}\` holds a plain value; assign it directly: \`${[...prefix, head.name].join('.')} = ...\``,
      }),
    );
  }
  const inner = setIn(component.fields, rest, value, [...prefix, head.name], text);
  if (!inner.ok) return inner;
  next.set(head.name, { ...existing, value: { ...component, fields: inner.fields } });
  return { ok: true, fields: next };
}

function fail(diagnostic: Diagnostic): { readonly ok: false; readonly diagnostic: Diagnostic } {
  return { ok: false, diagnostic };
}

/** The value at a path, if the model sets it (no defaults). */
export function getPath(body: ResolvedModelBody, segments: readonly string[]): ResolvedValue | undefined {
  const [first, ...rest] = segments;
  let fields: FieldMap | undefined = body.senses.get(first)?.fields;
  let remaining: readonly string[] = rest;
  if (fields === undefined) {
    fields = body.fields;
    remaining = segments;
  }
  let value: ResolvedValue | undefined;
  for (const segment of remaining) {
    if (fields === undefined) return undefined;
    value = fields.get(segment)?.value;
    fields = asComponent(value)?.fields;
  }
  return value;
}
