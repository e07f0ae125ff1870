/**
 * One traversal of a resolved model through the schema: every field (with its spec, if the
 * schema knows it) and every component (with its kind, if known). The rules that are about the
 * vocabulary itself (names, types, required fields) are visitors over this walk.
 */
import type { ComponentValue, ResolvedField, ResolvedModel } from '../resolve/tree.js';
import { asComponent } from '../resolve/build.js';
import { fieldSpec, kindSpec, modelBlock, roles, senseBlock, type FieldSpec, type KindSpec, type Role } from './schema.js';

export interface FieldVisit {
  /** How messages name the block holding the field: "model `m`", "`vision.encoder` (clip_vit)". */
  readonly owner: string;
  /** Dotted path of the field as users write it (`decoder.layers`, `vision.encoder.patch`). */
  readonly path: string;
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

export function walkModel(model: ResolvedModel, visitor: Visitor): void {
  const modelOwner = `model \`${model.id}\``;
  walkFields(model.fields, modelBlock.fields, [...modelBlock.fields.map((f) => f.name), 'sense'], modelOwner, '', visitor);
  for (const sense of model.senses.values()) {
    walkFields(sense.fields, senseBlock.fields, senseBlock.fields.map((f) => f.name), `sense \`${sense.name}\``, sense.name, visitor);
  }
}

function walkFields(fields: Iterable<[string, ResolvedField]> | ReadonlyMap<string, ResolvedField>, specs: readonly FieldSpec[], allowed: readonly string[], owner: string, prefix: string, visitor: Visitor): void {
  for (const [, field] of fields) {
    const spec = fieldSpec(specs, field.name);
    const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
    visitor.field?.({ owner, path, field, spec, allowed });
    if (spec?.type.kind !== 'component') continue;
    const component = asComponent(field.value);
    if (component === undefined) continue;
    const role = spec.type.role;
    const kind = kindSpec(role, component.type);
    visitor.component?.({ owner, path, role, component, kind });
    if (kind === undefined) continue;
    const label = `\`${path}\` (${kind.name})`;
    walkFields(component.fields, kind.fields, kind.fields.map((f) => f.name), label, path, visitor);
  }
}

export { roles };
