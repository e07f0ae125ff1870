/**
 * The resolved tree: a model after imports, presets, `extends`, variants, sweeps and `--set` have
 * been applied, before any checking. It is still untyped (any field may hold any value), but every
 * value carries the span of the text that set it: a line of a `.mimo` file, of a preset YAML file,
 * of a variant, or of a `--set` argument. The checker reads this tree and reports against those
 * spans. Trees are immutable; overrides copy the path they change.
 */
import type { Span } from '../diagnostics/types.js';

export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  /** Source text without `_` (`1e-5`), or the folded result of arithmetic. */
  readonly raw: string;
  readonly span: Span;
}

export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}

export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly span: Span;
}

/** A bare name: `gelu`, `swiglu`, `bfloat16`. A symbol used where a component is expected is a component with no fields. */
export interface SymbolValue {
  readonly kind: 'symbol';
  readonly name: string;
  readonly span: Span;
}

export interface ListValue {
  readonly kind: 'list';
  readonly items: readonly ResolvedValue[];
  readonly span: Span;
}

export interface PresetRef {
  readonly name: string;
  /** The preset name as written (the string argument). */
  readonly span: Span;
  /** The published source the preset cites. */
  readonly source: string;
}

/**
 * A component: `llama("vicuna-7b-v1.5") { ... }`, `rmsnorm(eps: 1e-5)`, `video(frames: 8, size: 224)`.
 * Fields merge in this order: preset, named arguments, block entries, then later overrides.
 */
export interface ComponentValue {
  readonly kind: 'component';
  /** Family or kind (`clip_vit`, `rmsnorm`); undefined for a bare `{ ... }` block that never named one. */
  readonly type: string | undefined;
  readonly typeSpan: Span | undefined;
  readonly preset: PresetRef | undefined;
  /** Positional arguments not consumed as a preset name (the checker reports them). */
  readonly positional: readonly ResolvedValue[];
  readonly fields: FieldMap;
  /** Where the component was set (the whole entry or call). */
  readonly span: Span;
}

export type ResolvedValue = NumberValue | StringValue | BooleanValue | SymbolValue | ListValue | ComponentValue;

export interface ResolvedField {
  readonly name: string;
  /** The name as written (an entry key, an argument name, a YAML key, the last segment of a path). */
  readonly keySpan: Span;
  readonly value: ResolvedValue;
}

/** Fields in the order they were first set. */
export type FieldMap = ReadonlyMap<string, ResolvedField>;

export interface ResolvedSense {
  readonly name: string;
  readonly nameSpan: Span;
  /** The whole `sense NAME { ... }` entry. */
  readonly span: Span;
  readonly fields: FieldMap;
}

export interface ResolvedModelBody {
  /** Model-level fields: `decoder`, `text_tokens`, `dtype` (and any unknown ones, for the checker). */
  readonly fields: FieldMap;
  readonly senses: ReadonlyMap<string, ResolvedSense>;
}

/** One coordinate of a sweep point: `vision.input.frames=4`. */
export interface SweepCoordinate {
  readonly path: string;
  readonly value: ResolvedValue;
}

export interface ResolvedModel extends ResolvedModelBody {
  /** `llava_avlm`, `llava_avlm/small`, `llava_avlm/frames[vision.input.frames=4,text_tokens=256]`. */
  readonly id: string;
  /** The model's name (the base model for variants and sweep points). */
  readonly name: string;
  readonly origin:
    | { readonly kind: 'model'; readonly span: Span }
    | { readonly kind: 'variant'; readonly variant: string; readonly span: Span }
    | { readonly kind: 'sweep'; readonly sweep: string; readonly point: readonly SweepCoordinate[]; readonly span: Span };
}

/** A component's field value, if set. */
export function fieldValue(fields: FieldMap, name: string): ResolvedValue | undefined {
  return fields.get(name)?.value;
}

/** A copy of `fields` with one field set (replacing it in place, or appended). */
export function withField(fields: FieldMap, field: ResolvedField): FieldMap {
  const next = new Map(fields);
  next.set(field.name, field);
  return next;
}

/** Canonical text of a value, used in sweep point ids and messages: `4`, `"ViT-L/14"`, `rmsnorm(eps: 1e-5)`. */
export function printValue(value: ResolvedValue): string {
  switch (value.kind) {
    case 'number':
      return value.raw;
    case 'string':
      return JSON.stringify(value.value);
    case 'boolean':
      return String(value.value);
    case 'symbol':
      return value.name;
    case 'list':
      return `[${value.items.map(printValue).join(', ')}]`;
    case 'component': {
      const args: string[] = [];
      if (value.preset !== undefined) args.push(JSON.stringify(value.preset.name));
      for (const item of value.positional) args.push(printValue(item));
      // Fields that came with the preset are implied by its name.
      for (const field of value.fields.values()) {
        if (value.preset !== undefined && field.keySpan.file.startsWith(PRESET_FILE_PREFIX)) continue;
        args.push(`${field.name}: ${printValue(field.value)}`);
      }
      const type = value.type ?? '';
      return args.length === 0 && value.type !== undefined ? type : `${type}(${args.join(', ')})`;
    }
  }
}

/** Structural equality of two values (spans ignored; numbers by value). */
export function sameValue(a: ResolvedValue, b: ResolvedValue): boolean {
  switch (a.kind) {
    case 'number':
      return b.kind === 'number' && a.value === b.value;
    case 'string':
      return b.kind === 'string' && a.value === b.value;
    case 'boolean':
      return b.kind === 'boolean' && a.value === b.value;
    case 'symbol':
      return (b.kind === 'symbol' && a.name === b.name) || (b.kind === 'component' && b.fields.size === 0 && b.preset === undefined && b.type === a.name);
    case 'list':
      return b.kind === 'list' && a.items.length === b.items.length && a.items.every((item, i) => sameValue(item, b.items[i]));
    case 'component':
      if (b.kind === 'symbol') return sameValue(b, a);
      if (b.kind !== 'component' || a.type !== b.type || a.preset?.name !== b.preset?.name || a.fields.size !== b.fields.size) return false;
      for (const [name, field] of a.fields) {
        const other = b.fields.get(name);
        if (other === undefined || !sameValue(field.value, other.value)) return false;
      }
      return a.positional.length === b.positional.length && a.positional.every((item, i) => sameValue(item, b.positional[i]));
  }
}

/** Spans in built-in preset files start with this, so messages and renderers can tell them apart. */
export const PRESET_FILE_PREFIX = 'mimo:presets/';

/** Describes a value's shape for messages: "the number 4", "the name `gelu`". */
export function describeValue(value: ResolvedValue): string {
  switch (value.kind) {
    case 'number':
      return `the number ${value.raw}`;
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'boolean':
      return `\`${value.value}\``;
    case 'symbol':
      return `the name \`${value.name}\``;
    case 'list':
      return 'a list';
    case 'component':
      return value.type === undefined ? 'a block' : `\`${value.type}(...)\``;
  }
}
