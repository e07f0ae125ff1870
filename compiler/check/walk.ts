/**
 * One traversal of a resolved model through the schema: every field (with its spec, if the
 * schema knows it) and every component (with its kind, if known). The rules that are about the
 * vocabulary itself (names, types, required fields) are visitors over this walk.
 */
import type { ComponentValue, ResolvedField, ResolvedModel } from '../resolve/tree.js';
import { asComponent } from '../resolve/build.js';
import { fieldNames, fieldSpec, kindSpec, modelBlock, roles, senseBlock, type FieldSpec, type KindSpec, type Role } from './schema.js';

export interface FieldVisit {
  /** How messages name the block holding the field: "model `m`", "`vision.encoder` (clip_vit)". */
  readonly owner: string;
  /** Dotted path of the field as users write it (`decoder.layers`, `vision.encoder.patch`). */
  readonly path: string;
  /** The sense whose block holds the field (at any depth); undefined for model-level fields. */
  readonly sense: string | undefined;
  readonly field: ResolvedField;
  /** Undefined when the schema has no such field here. */
  readonly spec: FieldSpec | undefined;
  /** The field names allowed here, for "did you mean". */
  readonly allowed: readonly string[];
}

export interface ComponentVisit {
  readonly owner: string;
  /** Dotted path of the component (`decoder.norm`). */
  readonly path: string;
  readonly role: Role;
  readonly component: ComponentValue;
  /** Undefined when the component names no kind or one the schema does not know. */
  readonly kind: KindSpec | undefined;
}

export interface Visitor {
  field?(visit: FieldVisit): void;
  component?(visit: ComponentVisit): void;
}

/** What `model { ... }` may hold: its fields and `sense` blocks. */
const modelAllowed: readonly string[] = Object.freeze([...fieldNames(modelBlock.fields), 'sense']);

type Step = { readonly type: 'field'; readonly visit: FieldVisit } | { readonly type: 'component'; readonly visit: ComponentVisit };

/**
 * Several rules and the lift walk each model, one after another: the steps of the last model
 * walked are kept (resolved models are immutable), so a model is traversed once, not once per
 * visitor. One entry, so nothing outlives the next model.
 */
let last: { readonly model: ResolvedModel; readonly steps: readonly Step[] } | undefined;

export function walkModel(model: ResolvedModel, visitor: Visitor): void {
  if (last?.model !== model) last = { model, steps: stepsOf(model) };
  for (const step of last.steps) {
    if (step.type === 'field') visitor.field?.(step.visit);
    else visitor.component?.(step.visit);
  }
}

function stepsOf(model: ResolvedModel): Step[] {
  const steps: Step[] = [];
  walkFields(model.fields, modelBlock.fields, modelAllowed, `model \`${model.id}\``, '', undefined, steps);
  for (const sense of model.senses.values()) {
    walkFields(sense.fields, senseBlock.fields, fieldNames(senseBlock.fields), `sense \`${sense.name}\``, sense.name, sense.name, steps);
  }
  return steps;
}

function walkFields(
  fields: ReadonlyMap<string, ResolvedField>,
  specs: readonly FieldSpec[],
  allowed: readonly string[],
  owner: string,
  prefix: string,
  sense: string | undefined,
  steps: Step[],
): void {
  for (const field of fields.values()) {
    const spec = fieldSpec(specs, field.name);
    const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
    steps.push({ type: 'field', visit: { owner, path, sense, field, spec, allowed } });
    if (spec?.type.kind !== 'component') continue;
    const component = asComponent(field.value);
    if (component === undefined) continue;
    const role = spec.type.role;
    const kind = kindSpec(role, component.type);
    steps.push({ type: 'component', visit: { owner, path, role, component, kind } });
    if (kind === undefined) continue;
    const label = `\`${path}\` (${kind.name})`;
    walkFields(component.fields, kind.fields, fieldNames(kind.fields), label, path, sense, steps);
  }
}

export { roles };
