/**
 * Typed reading of the resolved tree through the schema. A reader returns a field's value only
 * when it is valid (right type, in range) or, when the field is not set, its default; otherwise
 * `undefined`, so a rule that needs the value stays silent and the one rule that owns the problem
 * (`ValueTypesRule`, `RequiredPartsRule`) reports it once.
 */
import type { Span } from '../diagnostics/types.js';
import { asComponent } from '../resolve/build.js';
import type { ComponentValue, FieldMap, ResolvedModel, ResolvedSense, ResolvedValue } from '../resolve/tree.js';
import { describeType, fieldSpec, kindSpec, roles, type Constant, type FieldSpec, type KindSpec, type Role, type ValueType } from './schema.js';

/** A value and the span that set it (undefined for defaults). */
export interface Read<T> {
  readonly value: T;
  readonly span: Span | undefined;
}

/** A component whose kind the schema knows. */
export interface Part {
  readonly role: Role;
  readonly kind: KindSpec;
  readonly component: ComponentValue;
  /** The span of the entry that set the component (or of its field, when it came from a preset). */
  readonly span: Span;
}

/** Why a value does not fit a type, or undefined when it fits. */
export function valueProblem(type: ValueType, value: ResolvedValue): string | undefined {
  switch (type.kind) {
    case 'integer':
      if (value.kind !== 'number') return 'wrong type';
      if (!Number.isSafeInteger(value.value)) return 'not an integer';
      if (value.value < type.min || (type.max !== undefined && value.value > type.max)) return 'out of range';
      return undefined;
    case 'number':
      if (value.kind !== 'number') return 'wrong type';
      if (!Number.isFinite(value.value)) return 'out of range';
      if (type.greaterThan !== undefined && !(value.value > type.greaterThan)) return 'out of range';
      if (type.atLeast !== undefined && !(value.value >= type.atLeast)) return 'out of range';
      return undefined;
    case 'boolean':
      return value.kind === 'boolean' ? undefined : 'wrong type';
    case 'string':
      if (value.kind !== 'string') return 'wrong type';
      return type.nonEmpty && value.value === '' ? 'out of range' : undefined;
    case 'enum':
      if (value.kind !== 'symbol') return 'wrong type';
      return type.values.includes(value.name) ? undefined : 'unknown name';
    case 'component':
      return value.kind === 'component' || value.kind === 'symbol' ? undefined : 'wrong type';
  }
}

export { describeType };

function constantOf(value: ResolvedValue): Constant | undefined {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return value.value;
    case 'symbol':
      return value.name;
    default:
      return undefined;
  }
}

/** A field of a block or component: valid value, default, or undefined. */
export function readField(fields: FieldMap, specs: readonly FieldSpec[], name: string): Read<Constant> | undefined {
  const spec = fieldSpec(specs, name);
  if (spec === undefined) throw new Error(`schema has no field \`${name}\``);
  const field = fields.get(name);
  if (field !== undefined) {
    if (valueProblem(spec.type, field.value) !== undefined) return undefined;
    const constant = constantOf(field.value);
    return constant === undefined ? undefined : { value: constant, span: field.value.span };
  }
  return spec.default === undefined ? undefined : { value: spec.default, span: undefined };
}

export function readNumber(part: Part, name: string): Read<number> | undefined {
  const read = readField(part.component.fields, part.kind.fields, name);
  return read !== undefined && typeof read.value === 'number' ? (read as Read<number>) : undefined;
}

export function readBoolean(part: Part, name: string): Read<boolean> | undefined {
  const read = readField(part.component.fields, part.kind.fields, name);
  return read !== undefined && typeof read.value === 'boolean' ? (read as Read<boolean>) : undefined;
}

export function readName(part: Part, name: string): Read<string> | undefined {
  const read = readField(part.component.fields, part.kind.fields, name);
  return read !== undefined && typeof read.value === 'string' ? (read as Read<string>) : undefined;
}

/** The span of a field if set, else the span of the component that would hold it. */
export function spanOf(part: Part, name: string): Span {
  return part.component.fields.get(name)?.value.span ?? part.span;
}

/** A component in a role, when it is set and its kind is known (unknown kinds are reported elsewhere). */
export function partOf(role: Role, value: ResolvedValue | undefined, defaultKind?: string): Part | undefined {
  const component = asComponent(value);
  if (component === undefined) return undefined;
  const kind = kindSpec(role, component.type ?? defaultKind);
  if (kind === undefined) return undefined;
  return { role, kind, component, span: component.span };
}

/** A nested component of a part (`decoder.norm`), falling back to the family's default kind when unset. */
export function subPart(part: Part, name: string, defaultKind: string): Part | undefined {
  const value = part.component.fields.get(name)?.value;
  if (value === undefined) {
    const role = roleOfField(part, name);
    const kind = kindSpec(role, defaultKind);
    if (kind === undefined) return undefined;
    return { role, kind, component: emptyComponent(defaultKind, part.span), span: part.span };
  }
  return partOf(roleOfField(part, name), value);
}

function roleOfField(part: Part, name: string): Role {
  const spec = fieldSpec(part.kind.fields, name);
  if (spec?.type.kind !== 'component') throw new Error(`field \`${name}\` is not a component`);
  return spec.type.role;
}

function emptyComponent(type: string, span: Span): ComponentValue {
  return { kind: 'component', type, typeSpan: undefined, preset: undefined, positional: [], fields: new Map(), span };
}

/** The default sub-component kinds of each decoder family. */
export const decoderFamilyDefaults: Readonly<Record<string, { readonly norm: string; readonly mlp: string; readonly position: string }>> = {
  llama: { norm: 'rmsnorm', mlp: 'swiglu', position: 'rope' },
  gpt2: { norm: 'layernorm', mlp: 'gelu_mlp', position: 'learned' },
};

export interface SenseParts {
  readonly sense: ResolvedSense;
  readonly input: Part | undefined;
  readonly encoder: Part | undefined;
  readonly projector: Part | undefined;
}

/** The parts of a model the rules look at, with unknown or missing parts as undefined. */
export interface ModelParts {
  readonly model: ResolvedModel;
  readonly decoder: Part | undefined;
  readonly senses: readonly SenseParts[];
}

export function modelParts(model: ResolvedModel): ModelParts {
  const decoder = partOf('decoder', model.fields.get('decoder')?.value);
  const senses = [...model.senses.values()].map((sense) => ({
    sense,
    input: partOf('input', sense.fields.get('input')?.value),
    encoder: partOf('encoder', sense.fields.get('encoder')?.value),
    projector: partOf('projector', sense.fields.get('projector')?.value),
  }));
  return { model, decoder, senses };
}

export { roles };
