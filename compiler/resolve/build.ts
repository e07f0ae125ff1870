/**
 * From syntax to the resolved tree: constant expressions become values, calls become components
 * (a preset's fields first, then named arguments, then the block), and blocks merge into what is
 * already there, entry by entry (how `extends` works). Nothing here knows the language's field
 * names; that is the checker's schema.
 */
import type { Argument, Block, CallExpression, Entry, Expression, Identifier, PathExpression } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { suggest } from '../diagnostics/suggest.js';
import type { PresetCatalog } from '../presets/index.js';
import type { ComponentValue, FieldMap, ResolvedField, ResolvedModelBody, ResolvedSense, ResolvedValue } from './tree.js';
import { applyArithmetic } from './arithmetic.js';

/** Where diagnostics go while building. */
export interface BuildContext {
  readonly presets: PresetCatalog;
  report(diagnostic: Diagnostic): void;
}

/** Names of model-level fields a sense may not take (paths would be ambiguous). */
export const reservedModelFields: readonly string[] = ['decoder', 'text_tokens', 'dtype', 'sense'];

/** A constant value from an expression, or undefined (after reporting) when it is not one. */
export function valueOf(expression: Expression, ctx: BuildContext): ResolvedValue | undefined {
  switch (expression.kind) {
    case 'NumberLiteral':
      return { kind: 'number', value: expression.value, raw: expression.raw, span: expression.span };
    case 'StringLiteral':
      return { kind: 'string', value: expression.value, span: expression.span };
    case 'BooleanLiteral':
      return { kind: 'boolean', value: expression.value, span: expression.span };
    case 'ListExpression': {
      const items: ResolvedValue[] = [];
      for (const item of expression.items) {
        const value = valueOf(item, ctx);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return { kind: 'list', items, span: expression.span };
    }
    case 'PathExpression':
      if (expression.segments.length === 1) return { kind: 'symbol', name: expression.segments[0].name, span: expression.span };
      ctx.report(
        createDiagnostic(resolveDiagnostics.notConstant, expression.span, { what: `the reference \`${pathText(expression)}\`` }, {
          help: 'write the number or name itself; values cannot refer to other fields',
        }),
      );
      return undefined;
    case 'CallExpression':
      return componentFromCall(expression, undefined, expression.span, ctx);
    case 'ParenthesizedExpression': {
      const inner = valueOf(expression.expression, ctx);
      return inner === undefined ? undefined : { ...inner, span: expression.span };
    }
    case 'UnaryExpression': {
      const operand = valueOf(expression.operand, ctx);
      if (operand === undefined) return undefined;
      if (operand.kind !== 'number') return notArithmetic(expression.span, ctx);
      const raw = operand.raw.startsWith('-') ? operand.raw.slice(1) : '-' + operand.raw;
      return { kind: 'number', value: -operand.value, raw, span: expression.span };
    }
    case 'BinaryExpression': {
      const { operator } = expression;
      if (operator === '<' || operator === '<=' || operator === '>' || operator === '>=' || operator === '==' || operator === '!=') {
        ctx.report(
          createDiagnostic(resolveDiagnostics.notConstant, expression.span, { what: `a comparison (\`${operator}\`)` }, {
            help: 'comparisons belong in `assert` declarations; a field needs a plain value',
          }),
        );
        return undefined;
      }
      const left = valueOf(expression.left, ctx);
      const right = valueOf(expression.right, ctx);
      if (left === undefined || right === undefined) return undefined;
      if (left.kind !== 'number' || right.kind !== 'number') return notArithmetic(expression.span, ctx);
      if ((operator === '/' || operator === '%') && right.value === 0) {
        ctx.report(createDiagnostic(resolveDiagnostics.notConstant, expression.span, { what: 'a division by zero' }, { help: 'divide by a non-zero number' }));
        return undefined;
      }
      const value = applyArithmetic(operator, left.value, right.value);
      return { kind: 'number', value, raw: formatNumber(value), span: expression.span };
    }
  }
}

/** Shortest round-tripping text of a folded number. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

function notArithmetic(span: Span, ctx: BuildContext): undefined {
  ctx.report(
    createDiagnostic(resolveDiagnostics.notConstant, span, { what: 'arithmetic on something other than numbers' }, {
      help: 'only numbers can be added, subtracted, multiplied and divided',
    }),
  );
  return undefined;
}

export function pathText(path: PathExpression): string {
  return path.segments.map((s) => s.name).join('.');
}

/**
 * `clip_vit("ViT-L/14", select_layer: -2) { layers 12 }`: the preset's fields, then the named
 * arguments, then the block entries. A field set twice by the same call and block is an error.
 */
export function componentFromCall(call: CallExpression | undefined, typeName: Identifier | undefined, span: Span, ctx: BuildContext, block?: Block): ComponentValue | undefined {
  const callee = call?.callee;
  if (callee !== undefined && callee.segments.length !== 1) {
    ctx.report(
      createDiagnostic(resolveDiagnostics.notConstant, callee.span, { what: `the dotted name \`${pathText(callee)}\`` }, {
        help: 'a component is named by one word, e.g. `clip_vit(...)` or `rmsnorm(eps: 1e-5)`',
      }),
    );
    return undefined;
  }
  const type = callee?.segments[0] ?? typeName;
  let fields: FieldMap = new Map();
  let preset: ComponentValue['preset'];
  const positional: ResolvedValue[] = [];
  const args: readonly Argument[] = call?.args ?? [];
  const family = type === undefined ? undefined : ctx.presets.families.get(type.name);

  for (const arg of args) {
    if (arg.name !== undefined) continue;
    if (family !== undefined && preset === undefined && positional.length === 0 && arg.value.kind === 'StringLiteral') {
      const found = family.presets.get(arg.value.value);
      if (found === undefined) {
        const names = [...family.presets.keys()];
        const guess = suggest(arg.value.value, names);
        ctx.report(
          createDiagnostic(resolveDiagnostics.unknownPreset, arg.value.span, { family: family.family, name: arg.value.value }, {
            help: (guess !== undefined ? `did you mean "${guess}"? ` : '') + `\`${family.family}\` presets: ${names.map((n) => `"${n}"`).join(', ')}`,
            fix: guess !== undefined ? { description: `use "${guess}"`, span: arg.value.span, replacement: JSON.stringify(guess) } : undefined,
          }),
        );
        return undefined;
      }
      preset = { name: found.name, span: arg.value.span, source: found.source };
      fields = found.fields;
      continue;
    }
    const value = valueOf(arg.value, ctx);
    if (value !== undefined) positional.push(value);
  }

  const seen = new Map<string, Span>();
  const where = `\`${type?.name ?? 'this block'}\``;
  for (const arg of args) {
    if (arg.name === undefined) continue;
    const value = valueOf(arg.value, ctx);
    if (!noteFirst(seen, arg.name, where, ctx)) continue;
    if (value === undefined) continue;
    fields = setField(fields, { name: arg.name.name, keySpan: arg.name.span, value });
  }
  const component: ComponentValue = {
    kind: 'component',
    type: type?.name,
    typeSpan: type?.span,
    preset,
    positional,
    fields,
    span,
  };
  return block === undefined ? component : { ...component, fields: applyBlock(component.fields, block, ctx, where, seen) };
}

/** Records that `name` was set here; reports and returns false when this block already set it. */
function noteFirst(seen: Map<string, Span>, name: Identifier, where: string, ctx: BuildContext): boolean {
  const first = seen.get(name.name);
  if (first !== undefined) {
    ctx.report(
      createDiagnostic(resolveDiagnostics.duplicateEntry, name.span, { name: name.name, where }, {
        related: [{ span: first, message: `\`${name.name}\` is first set here` }],
        help: 'remove one of the two; within one block, call or variant each field is set once',
      }),
    );
    return false;
  }
  seen.set(name.name, name.span);
  return true;
}

function setField(fields: FieldMap, field: ResolvedField): FieldMap {
  const next = new Map(fields);
  next.set(field.name, field);
  return next;
}

/**
 * Applies a block's entries to existing fields: an entry with a value replaces the field; an
 * entry with only a block merges into the component already there (or starts one).
 */
export function applyBlock(fields: FieldMap, block: Block, ctx: BuildContext, where: string, seen: Map<string, Span> = new Map()): FieldMap {
  let result = fields;
  for (const entry of block.entries) {
    if (!noteFirst(seen, entry.key, where, ctx)) continue;
    const value = entryValue(entry, result.get(entry.key.name)?.value, ctx);
    if (value !== undefined) result = setField(result, { name: entry.key.name, keySpan: entry.key.span, value });
  }
  return result;
}

/** The value an entry gives its key, merged with what the key held before (for block-only entries). */
function entryValue(entry: Entry, previous: ResolvedValue | undefined, ctx: BuildContext): ResolvedValue | undefined {
  const { value, block } = entry;
  if (value === undefined) {
    if (block === undefined) return undefined;
    const base = asComponent(previous);
    if (base !== undefined) {
      return { ...base, fields: applyBlock(base.fields, block, ctx, `\`${entry.key.name}\``), span: entry.span };
    }
    return { kind: 'component', type: undefined, typeSpan: undefined, preset: undefined, positional: [], fields: applyBlock(new Map(), block, ctx, `\`${entry.key.name}\``), span: entry.span };
  }
  if (block === undefined) {
    const resolved = valueOf(value, ctx);
    // A component's span is the whole entry, so "missing field" errors underline the line.
    return resolved?.kind === 'component' ? { ...resolved, span: entry.span } : resolved;
  }
  if (value.kind === 'CallExpression') return componentFromCall(value, undefined, entry.span, ctx, block);
  if (value.kind === 'PathExpression' && value.segments.length === 1) return componentFromCall(undefined, value.segments[0], entry.span, ctx, block);
  ctx.report(
    createDiagnostic(resolveDiagnostics.blockAfterValue, block.span, { what: `the value of \`${entry.key.name}\`` }, {
      help: 'a block of fields follows a component kind, e.g. `norm rmsnorm { eps 1e-6 }`; for a plain value remove the block',
    }),
  );
  return undefined;
}

/** A symbol used where fields are added becomes a component of that kind with no fields. */
export function asComponent(value: ResolvedValue | undefined): ComponentValue | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'component') return value;
  if (value.kind === 'symbol') return { kind: 'component', type: value.name, typeSpan: value.span, preset: undefined, positional: [], fields: new Map(), span: value.span };
  return undefined;
}

/**
 * A model body from a block, merged into `base` (for `extends`): model-level entries as in any
 * block, `sense NAME { ... }` entries merged by name.
 */
export function applyModelBlock(base: ResolvedModelBody, block: Block, ctx: BuildContext, modelName: string): ResolvedModelBody {
  let fields = base.fields;
  const senses = new Map(base.senses);
  const seen = new Map<string, Span>();
  const sensesSeen = new Map<string, Span>();
  for (const entry of block.entries) {
    if (entry.key.name !== 'sense') {
      if (!noteFirst(seen, entry.key, `model \`${modelName}\``, ctx)) continue;
      const value = entryValue(entry, fields.get(entry.key.name)?.value, ctx);
      if (value !== undefined) fields = setField(fields, { name: entry.key.name, keySpan: entry.key.span, value });
      continue;
    }
    const nameExpr = entry.value;
    if (nameExpr === undefined || nameExpr.kind !== 'PathExpression' || nameExpr.segments.length !== 1) {
      ctx.report(
        createDiagnostic(resolveDiagnostics.senseWithoutName, nameExpr?.span ?? entry.key.span, {}, {
          help: 'name the modality with one word, e.g. `sense vision { input image(size: 336) ... }`',
        }),
      );
      continue;
    }
    const name = nameExpr.segments[0];
    if (reservedModelFields.includes(name.name)) {
      ctx.report(
        createDiagnostic(resolveDiagnostics.reservedSenseName, name.span, { name: name.name }, {
          help: `choose another name; \`${name.name}\` already means a model field in dotted paths`,
        }),
      );
      continue;
    }
    if (!noteFirst(sensesSeen, name, `model \`${modelName}\` (senses)`, ctx)) continue;
    const previous = senses.get(name.name);
    const senseFields = entry.block === undefined ? (previous?.fields ?? new Map()) : applyBlock(previous?.fields ?? new Map(), entry.block, ctx, `sense \`${name.name}\``);
    const sense: ResolvedSense = { name: name.name, nameSpan: name.span, span: entry.span, fields: senseFields };
    senses.set(name.name, sense);
  }
  return { fields, senses };
}
