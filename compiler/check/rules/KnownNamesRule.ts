/**
 * Known names: every field is one the schema knows in its block, every component names a known
 * family or kind for its role, every enum value (`act`, `dtype`) is one of its names, and calls
 * take no positional arguments except a preset name. Each miss suggests the closest name.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import type { RuleContext } from '../context.js';
import { didYouMean, listNames } from '../didYouMean.js';
import { roles } from '../schema.js';
import { walkModel } from '../walk.js';

export function KnownNamesRule(context: RuleContext): void {
  walkModel(context.model, {
    field({ owner, field, spec, allowed }) {
      if (spec === undefined) {
        const hint = didYouMean(field.name, allowed, field.keySpan);
        context.report(
          createDiagnostic(checkDiagnostics.unknownField, field.keySpan, { field: field.name, where: owner }, {
            help: `${hint.prefix}${owner} has ${listNames(allowed)}`,
            fix: hint.fix,
          }),
        );
        return;
      }
      if (spec.type.kind === 'enum' && field.value.kind === 'symbol' && !spec.type.values.includes(field.value.name)) {
        const hint = didYouMean(field.value.name, spec.type.values, field.value.span);
        context.report(
          createDiagnostic(checkDiagnostics.unknownName, field.value.span, { value: field.value.name, field: field.name }, {
            help: `${hint.prefix}\`${field.name}\` is one of ${listNames(spec.type.values)}`,
            fix: hint.fix,
          }),
        );
      }
    },
    component({ path, role, component, kind }) {
      if (kind === undefined) {
        if (component.type === undefined) return; // a block without a kind: RequiredPartsRule
        const known = roles[role].kinds.map((k) => k.name);
        const span = component.typeSpan ?? component.span;
        const hint = didYouMean(component.type, known, span);
        context.report(
          createDiagnostic(checkDiagnostics.unknownKind, span, { role: roles[role].label, kind: component.type }, {
            help: `${hint.prefix}\`${path}\` is one of ${listNames(known)}`,
            fix: hint.fix,
          }),
        );
        return;
      }
      for (const extra of component.positional) {
        context.report(
          createDiagnostic(checkDiagnostics.positionalArgument, extra.span, { kind: kind.name }, {
            help: kind.presets
              ? `only the first argument may be a preset name (a string); name the others, e.g. \`${kind.name}("...", ${kind.fields[0]?.name ?? 'field'}: ...)\``
              : `name the argument: \`${kind.name}(${kind.fields.map((f) => `${f.name}: ...`).join(', ')})\``,
          }),
        );
      }
    },
  });
}
