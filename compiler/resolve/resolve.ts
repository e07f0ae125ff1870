/**
 * Resolution of a loaded program into the models to check: one table of declarations across all
 * files (duplicates reported with both places), `extends` chains (cycles reported), presets,
 * variants, sweep points (`grid`: every combination; `zip`: position by position; minus
 * `exclude`d points) and `--set` overrides, applied in that order.
 */
import type { AssertDeclaration, Identifier, ModelDeclaration, SweepDeclaration, VariantDeclaration } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { loadPresetCatalog, type PresetCatalog } from '../presets/index.js';
import { applyModelBlock, pathText, valueOf, type BuildContext } from './build.js';
import { parseOverride, type ParsedOverride, type ParseText } from './overrides.js';
import { setPath, type PathRef } from './paths.js';
import type { Program } from './program.js';
import { printValue, sameValue, type ResolvedModel, type ResolvedModelBody, type ResolvedValue, type SweepCoordinate } from './tree.js';

export interface ResolveOptions {
  /** `--set path=value` texts, applied to every model they fit, in order. */
  readonly overrides?: readonly string[];
  /** Parses `--set` texts (the grammar's `parseSource`); required when there are overrides. */
  readonly parseText?: ParseText;
  readonly presets?: PresetCatalog;
}

export interface ResolvedProgram {
  /** Models, variants and sweep points in declaration order (files in load order). */
  readonly models: readonly ResolvedModel[];
  /** Every `assert`, in declaration order. */
  readonly asserts: readonly AssertDeclaration[];
  /** Declared model names, and variant names per model (for asserts like `m.small.params`). */
  readonly modelNames: readonly string[];
  readonly variantNames: ReadonlyMap<string, readonly string[]>;
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of pseudo-files (`--set` arguments) and preset files, for renderers. */
  readonly sources: ReadonlyMap<string, string>;
}

type BodyState = { readonly state: 'visiting' } | { readonly state: 'done'; readonly body: ResolvedModelBody | undefined };

export function resolveProgram(program: Program, options: ResolveOptions = {}): ResolvedProgram {
  const presets = options.presets ?? loadPresetCatalog();
  const diagnostics: Diagnostic[] = [...presets.diagnostics];
  const ctx: BuildContext = { presets, report: (d) => diagnostics.push(d) };
  const sources = new Map<string, string>(presets.sources);

  // ---- the declaration table ----
  const models = new Map<string, ModelDeclaration>();
  const derived = new Map<string, VariantDeclaration | SweepDeclaration>();
  const asserts: AssertDeclaration[] = [];
  const ordered: (ModelDeclaration | VariantDeclaration | SweepDeclaration)[] = [];
  for (const { file } of program.files) {
    for (const declaration of file.declarations) {
      switch (declaration.kind) {
        case 'ModelDeclaration': {
          const first = models.get(declaration.name.name);
          if (first !== undefined) {
            diagnostics.push(duplicate('model', declaration.name, first.name));
            continue;
          }
          models.set(declaration.name.name, declaration);
          ordered.push(declaration);
          break;
        }
        case 'VariantDeclaration':
        case 'SweepDeclaration': {
          const key = `${declaration.base.name}/${declaration.name.name}`;
          const first = derived.get(key);
          if (first !== undefined) {
            const what = declaration.kind === 'VariantDeclaration' ? 'variant' : 'sweep';
            diagnostics.push(duplicate(`${what} of \`${declaration.base.name}\``, declaration.name, first.name));
            continue;
          }
          derived.set(key, declaration);
          ordered.push(declaration);
          break;
        }
        case 'AssertDeclaration':
          asserts.push(declaration);
          break;
        case 'ImportDeclaration':
          break;
      }
    }
  }

  // ---- model bodies, following `extends` ----
  const bodies = new Map<string, BodyState>();
  const bodyOf = (name: string, chain: readonly string[]): ResolvedModelBody | undefined => {
    const state = bodies.get(name);
    if (state?.state === 'done') return state.body;
    const declaration = models.get(name);
    if (declaration === undefined) return undefined;
    if (state?.state === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(name)), name];
      const decls = cycle.slice(0, -1).map((n) => models.get(n)).filter((d): d is ModelDeclaration => d !== undefined);
      diagnostics.push(
        createDiagnostic(resolveDiagnostics.extendsCycle, declaration.extends?.span ?? declaration.name.span, { cycle: cycle.map((n) => `\`${n}\``).join(' -> ') }, {
          related: decls.filter((d) => d !== declaration).map((d) => ({ span: d.extends?.span ?? d.name.span, message: `\`${d.name.name}\` extends \`${d.extends?.name ?? '?'}\` here` })),
          help: 'a model cannot extend itself, directly or through others; break the chain at one `extends`',
        }),
      );
      for (const member of cycle) bodies.set(member, { state: 'done', body: undefined });
      return undefined;
    }
    bodies.set(name, { state: 'visiting' });
    let base: ResolvedModelBody | undefined = { fields: new Map(), senses: new Map() };
    if (declaration.extends !== undefined) {
      if (!models.has(declaration.extends.name)) {
        diagnostics.push(unknownModel(declaration.extends, [...models.keys()].filter((n) => n !== name), derived));
        base = undefined;
      } else {
        base = bodyOf(declaration.extends.name, [...chain, name]);
      }
    }
    const current = bodies.get(name);
    if (current?.state === 'done') return current.body; // closed a cycle while following extends
    // A model whose own text has a resolution error is not checked: its tree is incomplete, and
    // the checker would only add consequences of the error already reported.
    const before = diagnostics.length;
    const applied = base === undefined ? undefined : applyModelBlock(base, declaration.body, ctx, name);
    const body = diagnostics.slice(before).some((d) => d.severity === 'error') ? undefined : applied;
    bodies.set(name, { state: 'done', body });
    return body;
  };

  // ---- --set overrides ----
  const overrides: ParsedOverride[] = [];
  (options.overrides ?? []).forEach((text, index) => {
    if (options.parseText === undefined) throw new Error('resolveProgram: overrides need options.parseText');
    const parsed = parseOverride(text, index, options.parseText);
    sources.set(`<--set ${index + 1}>`, text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.override !== undefined) overrides.push(parsed.override);
  });
  const overrideValues = overrides.map((o) => ({ override: o, value: valueOf(o.assignment.value, ctx) }));
  const overrideUsed = overrides.map(() => false);
  let overridden = 0;

  const finish = (model: Omit<ResolvedModel, 'fields' | 'senses'>, body: ResolvedModelBody): ResolvedModel | undefined => {
    let current = body;
    let failed = false;
    overridden++;
    for (const [i, { override, value }] of overrideValues.entries()) {
      if (value === undefined) {
        failed = true;
        continue;
      }
      const first = override.assignment.path.segments[0].name;
      if (!current.senses.has(first) && !current.fields.has(first) && override.assignment.path.segments.length > 1 && !['decoder', 'text_tokens', 'dtype'].includes(first)) continue;
      overrideUsed[i] = true;
      if (failed) continue;
      const result = setPath(current, override.assignment.path, value, model.id);
      if (!result.ok) {
        diagnostics.push(result.diagnostic);
        failed = true;
        continue;
      }
      current = result.body;
    }
    return failed ? undefined : { ...model, ...current };
  };

  // ---- models, variants and sweep points in declaration order ----
  const out: ResolvedModel[] = [];
  for (const declaration of ordered) {
    if (declaration.kind === 'ModelDeclaration') {
      const body = bodyOf(declaration.name.name, []);
      if (body === undefined) continue;
      const model = finish({ id: declaration.name.name, name: declaration.name.name, origin: { kind: 'model', span: declaration.name.span } }, body);
      if (model !== undefined) out.push(model);
      continue;
    }
    const baseName = declaration.base.name;
    if (!models.has(baseName)) {
      diagnostics.push(unknownModel(declaration.base, [...models.keys()], derived));
      continue;
    }
    const base = bodyOf(baseName, []);
    if (base === undefined) continue;
    if (declaration.kind === 'VariantDeclaration') {
      const id = `${baseName}/${declaration.name.name}`;
      const body = applyVariant(declaration, base, id, ctx);
      if (body === undefined) continue;
      const model = finish({ id, name: baseName, origin: { kind: 'variant', variant: declaration.name.name, span: declaration.name.span } }, body);
      if (model !== undefined) out.push(model);
      continue;
    }
    for (const point of sweepPoints(declaration, base, ctx)) {
      const model = finish(
        { id: point.id, name: baseName, origin: { kind: 'sweep', sweep: declaration.name.name, point: point.coordinates, span: declaration.name.span } },
        point.body,
      );
      if (model !== undefined) out.push(model);
    }
  }

  overrides.forEach((override, i) => {
    if (overrideUsed[i] || overrideValues[i].value === undefined || overridden === 0) return;
    const path = override.assignment.path;
    diagnostics.push(
      createDiagnostic(resolveDiagnostics.overrideMatchesNothing, path.segments[0].span, { path: pathText(path) }, {
        help: 'a path starts with a sense name or a model field (`decoder`, `text_tokens`, `dtype`); see `mimo variants` for the models',
      }),
    );
  });

  const variantNames = new Map<string, string[]>();
  for (const declaration of derived.values()) {
    if (declaration.kind !== 'VariantDeclaration') continue;
    const list = variantNames.get(declaration.base.name) ?? [];
    list.push(declaration.name.name);
    variantNames.set(declaration.base.name, list);
  }
  return { models: out, asserts, modelNames: [...models.keys()], variantNames, diagnostics, sources };
}

function duplicate(what: string, name: Identifier, first: Identifier): Diagnostic {
  return createDiagnostic(resolveDiagnostics.duplicateDeclaration, name.span, { what, name: name.name }, {
    related: [{ span: first.span, message: `\`${first.name}\` is first declared here` }],
    help: 'rename one of them; names are shared by every file of the program, imports included',
  });
}

function unknownModel(name: Identifier, candidates: readonly string[], derived: ReadonlyMap<string, VariantDeclaration | SweepDeclaration>): Diagnostic {
  const other = [...derived.values()].find((d) => d.name.name === name.name);
  if (other !== undefined) {
    return createDiagnostic(resolveDiagnostics.variantOfVariant, name.span, { name: name.name, what: other.kind === 'VariantDeclaration' ? `variant of \`${other.base.name}\`` : `sweep of \`${other.base.name}\`` }, {
      help: `name the model itself (\`${other.base.name}\`) and repeat the assignments you need`,
    });
  }
  const guess = suggest(name.name, candidates);
  return createDiagnostic(resolveDiagnostics.unknownModel, name.span, { name: name.name }, {
    help: (guess !== undefined ? `did you mean \`${guess}\`? ` : '') + (candidates.length > 0 ? `models: ${candidates.map((c) => `\`${c}\``).join(', ')}` : 'no model is declared'),
    fix: guess !== undefined ? { description: `use \`${guess}\``, span: name.span, replacement: guess } : undefined,
  });
}

function applyVariant(declaration: VariantDeclaration, base: ResolvedModelBody, id: string, ctx: BuildContext): ResolvedModelBody | undefined {
  let body = base;
  let ok = true;
  const seen = new Map<string, Span>();
  for (const assignment of declaration.assignments) {
    const text = pathText(assignment.path);
    const first = seen.get(text);
    if (first !== undefined) {
      ctx.report(
        createDiagnostic(resolveDiagnostics.duplicateEntry, assignment.path.span, { name: text, where: `variant \`${id}\`` }, {
          related: [{ span: first, message: `\`${text}\` is first set here` }],
          help: 'remove one of the two assignments',
        }),
      );
      ok = false;
      continue;
    }
    seen.set(text, assignment.path.span);
    const value = valueOf(assignment.value, ctx);
    if (value === undefined) {
      ok = false;
      continue;
    }
    const result = setPath(body, assignment.path, value, id);
    if (!result.ok) {
      ctx.report(result.diagnostic);
      ok = false;
      continue;
    }
    body = result.body;
  }
  return ok ? body : undefined;
}

interface SweepPoint {
  readonly id: string;
  readonly coordinates: readonly SweepCoordinate[];
  readonly body: ResolvedModelBody;
}

interface Axis {
  readonly path: PathRef;
  readonly text: string;
  readonly values: readonly ResolvedValue[];
  readonly listSpan: Span;
}

/** Every point of a sweep that survives its `exclude` clauses, with its model body. */
function sweepPoints(declaration: SweepDeclaration, base: ResolvedModelBody, ctx: BuildContext): SweepPoint[] {
  const name = declaration.name.name;
  const baseName = declaration.base.name;
  const axes: Axis[] = [];
  let ok = true;
  for (const axis of declaration.axes) {
    const text = pathText(axis.path);
    const first = axes.find((a) => a.text === text);
    if (first !== undefined) {
      ctx.report(
        createDiagnostic(resolveDiagnostics.duplicateSweepAxis, axis.path.span, { path: text, name }, {
          related: [{ span: first.path.span, message: 'first axis with this path' }],
          help: 'list all the values of one path on one axis',
        }),
      );
      ok = false;
      continue;
    }
    const values: ResolvedValue[] = [];
    for (const item of axis.values.items) {
      const value = valueOf(item, ctx);
      if (value === undefined) ok = false;
      else values.push(value);
    }
    if (axis.values.items.length === 0) {
      ctx.report(createDiagnostic(resolveDiagnostics.emptySweepAxis, axis.values.span, { path: text }, { help: 'give at least one value, e.g. `[4, 8]`' }));
      ok = false;
    }
    axes.push({ path: axis.path, text, values, listSpan: axis.values.span });
  }
  if (!ok || axes.length === 0) return [];
  // A path error would repeat at every point: check each axis once on the base model.
  for (const axis of axes) {
    const probe = setPath(base, axis.path, axis.values[0], `${baseName}/${name}`);
    if (!probe.ok) {
      ctx.report(probe.diagnostic);
      ok = false;
    }
  }
  if (declaration.mode === 'zip') {
    const [first, ...rest] = axes;
    for (const axis of rest) {
      if (axis.values.length !== first.values.length) {
        ctx.report(
          createDiagnostic(resolveDiagnostics.zipLengthMismatch, axis.listSpan, { name, path: axis.text, count: axis.values.length, firstPath: first.text, firstCount: first.values.length }, {
            related: [{ span: first.listSpan, message: `\`${first.text}\` has ${first.values.length} values` }],
            help: 'give every axis of a `zip` the same number of values, or use `grid` for every combination',
          }),
        );
        ok = false;
      }
    }
  }
  const excludes: { readonly path: string; readonly value: ResolvedValue }[][] = [];
  for (const clause of declaration.excludes) {
    const conditions: { path: string; value: ResolvedValue }[] = [];
    for (const condition of clause.conditions) {
      const text = pathText(condition.path);
      if (!axes.some((a) => a.text === text)) {
        const guess = suggest(text, axes.map((a) => a.text));
        ctx.report(
          createDiagnostic(resolveDiagnostics.excludeNotAxis, condition.path.span, { path: text, name }, {
            help: (guess !== undefined ? `did you mean \`${guess}\`? ` : '') + `the axes are ${axes.map((a) => `\`${a.text}\``).join(', ')}`,
          }),
        );
        ok = false;
        continue;
      }
      const value = valueOf(condition.value, ctx);
      if (value === undefined) ok = false;
      else conditions.push({ path: text, value });
    }
    excludes.push(conditions);
  }
  if (!ok) return [];

  const combos: ResolvedValue[][] =
    declaration.mode === 'zip'
      ? axes[0].values.map((_, i) => axes.map((a) => a.values[i]))
      : axes.reduce<ResolvedValue[][]>((acc, axis) => acc.flatMap((prefix) => axis.values.map((v) => [...prefix, v])), [[]]);

  const points: SweepPoint[] = [];
  const ids = new Set<string>();
  for (const combo of combos) {
    const coordinates = combo.map((value, i) => ({ path: axes[i].text, value }));
    const excluded = excludes.some((conditions) => conditions.length > 0 && conditions.every((c) => sameValue(coordinates.find((p) => p.path === c.path)!.value, c.value)));
    if (excluded) continue;
    const id = `${baseName}/${name}[${coordinates.map((c) => `${c.path}=${printValue(c.value)}`).join(',')}]`;
    if (ids.has(id)) {
      ctx.report(
        createDiagnostic(resolveDiagnostics.duplicateSweepPoint, declaration.name.span, { id }, {
          help: 'a value is listed twice on one axis (or twice at the same positions of a `zip`); remove the repeat',
        }),
      );
      continue;
    }
    ids.add(id);
    let body = base;
    let pointOk = true;
    for (const [i, value] of combo.entries()) {
      const result = setPath(body, axes[i].path, value, id);
      if (!result.ok) {
        ctx.report(result.diagnostic);
        pointOk = false;
        break;
      }
      body = result.body;
    }
    if (pointOk) points.push({ id, coordinates, body });
  }
  if (points.length === 0 && combos.length > 0) {
    ctx.report(
      createDiagnostic(resolveDiagnostics.everythingExcluded, declaration.name.span, { name }, { help: 'loosen the `exclude` clauses or remove the sweep' }),
    );
  }
  return points;
}
