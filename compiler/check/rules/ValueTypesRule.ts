/**
 * Types and ranges: integers where counts are expected (positive for widths, layers, heads and
 * sizes), positive numbers for epsilons, rates and lengths, booleans for flags, non-empty strings
 * for placeholder text, and components (not plain values) where a component is expected.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { describeValue } from '../../resolve/tree.js';
import type { RuleContext } from '../context.js';
import { valueProblem } from '../read.js';
import { describeType } from '../schema.js';
import { walkModel } from '../walk.js';

export function ValueTypesRule(context: RuleContext): void {
  walkModel(context.model, {
    field({ field, spec }) {
      if (spec === undefined) return;
      const problem = valueProblem(spec.type, field.value);
      if (problem === undefined || problem === 'unknown name') return;
      const value = field.value;
      const expected = describeType(spec.type);
      const found = value.kind === 'number' ? value.raw : describeValue(value);
      if (problem === 'wrong type') {
        const unquote = spec.type.kind === 'enum' && value.kind === 'string';
        context.report(
          createDiagnostic(checkDiagnostics.wrongType, value.span, { field: field.name, expected, found }, {
            help: unquote ? `names are written without quotes: \`${field.name} ${value.value}\`` : `\`${field.name}\` (${spec.doc}) takes ${expected}`,
            fix: unquote && value.kind === 'string' ? { description: 'remove the quotes', span: value.span, replacement: value.value } : undefined,
          }),
        );
        return;
      }
      context.report(
        createDiagnostic(checkDiagnostics.outOfRange, value.span, { field: field.name, expected, found }, {
          help: `\`${field.name}\` (${spec.doc}) takes ${expected}`,
        }),
      );
    },
  });
}
