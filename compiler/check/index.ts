/**
 * The checker's entries: `checkModel` runs every rule on one resolved model and lifts it into a
 * `CheckedModel` when no rule found an error; `checkProgram` does that for every model of a
 * resolved program, then evaluates the user's asserts. A rule that throws becomes an
 * internal-error diagnostic and the other rules still run.
 */
import { analyzeModel } from '../analyze/index.js';
import type { ModelAnalysis } from '../analyze/types.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { checkDiagnostics } from '../diagnostics/catalog/check.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { CheckedModel } from '../model/types.js';
import type { ResolvedProgram } from '../resolve/resolve.js';
import type { ResolvedModel } from '../resolve/tree.js';
import type { Rule } from './context.js';
import { liftModel } from './lift.js';
import { modelParts } from './read.js';
import { specifiedRules } from './registry.js';
import { DiagnosticSink } from './sink.js';
import { UserAssertRule, type AssertTarget } from './rules/UserAssertRule.js';

export { specifiedRules } from './registry.js';
export type { Rule, RuleContext } from './context.js';
export { DiagnosticSink, MAX_ERRORS } from './sink.js';
export { liftModel } from './lift.js';
export { settingValues } from './values.js';
export { roles, modelBlock, senseBlock } from './schema.js';

export interface ModelCheck {
  readonly diagnostics: readonly Diagnostic[];
  /** The lifted model, when no rule reported an error. */
  readonly checked: CheckedModel | undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the rules on one model; diagnostics of variants and sweep points say which one. */
export function checkModel(model: ResolvedModel, rules: readonly Rule[] = specifiedRules): ModelCheck {
  const diagnostics: Diagnostic[] = [];
  const parts = modelParts(model);
  const context = { model, parts, report: (d: Diagnostic) => diagnostics.push(d) };
  for (const rule of rules) {
    try {
      rule(context);
    } catch (error) {
      diagnostics.push(
        createDiagnostic(checkDiagnostics.internalError, model.origin.span, { rule: rule.name || 'anonymous', message: message(error) }, {
          help: 'this is a bug in mimo; please report it with the spec that triggers it',
        }),
      );
    }
  }
  const annotated = model.origin.kind === 'model' ? diagnostics : diagnostics.map((d) => ({ ...d, related: [...d.related, { span: model.origin.span, message: `while checking \`${model.id}\`` }] }));
  if (annotated.some((d) => d.severity === 'error')) return { diagnostics: annotated, checked: undefined };
  try {
    return { diagnostics: annotated, checked: liftModel(model, parts) };
  } catch (error) {
    return {
      diagnostics: [
        ...annotated,
        createDiagnostic(checkDiagnostics.internalError, model.origin.span, { rule: 'lift', message: message(error) }, {
          help: 'this is a bug in mimo; please report it with the spec that triggers it',
        }),
      ],
      checked: undefined,
    };
  }
}

export interface ProgramCheck {
  /** Checked models (models, variants, sweep points) in the program's order. */
  readonly models: readonly CheckedModel[];
}

/**
 * Checks every model of a resolved program into `sink` (which drops repeats and stops at its
 * error limit), then evaluates the asserts. `sources` lets assert messages quote expressions.
 */
export function checkProgram(program: ResolvedProgram, sink: DiagnosticSink, sources: ReadonlyMap<string, string>, rules: readonly Rule[] = specifiedRules): ProgramCheck {
  const models: CheckedModel[] = [];
  const targets = new Map<string, AssertTarget>();
  for (const model of program.models) {
    if (sink.full) break;
    const result = checkModel(model, rules);
    sink.addAll(result.diagnostics);
    if (result.checked !== undefined) models.push(result.checked);
    if (model.origin.kind !== 'sweep') targets.set(model.id, { id: model.id, checked: result.checked });
  }
  if (!sink.full) {
    const analyses = new Map<string, ModelAnalysis>();
    try {
      UserAssertRule({
        asserts: program.asserts,
        modelNames: program.modelNames,
        variantNames: program.variantNames,
        targets,
        sources,
        analyze: (model) => {
          let analysis = analyses.get(model.id);
          if (analysis === undefined) {
            analysis = analyzeModel(model);
            analyses.set(model.id, analysis);
          }
          return analysis;
        },
        report: (d) => sink.add(d),
      });
    } catch (error) {
      sink.add(
        createDiagnostic(checkDiagnostics.internalError, program.asserts[0]?.span, { rule: 'UserAssertRule', message: message(error) }, {
          help: 'this is a bug in mimo; please report it with the spec that triggers it',
        }),
      );
    }
  }
  return { models };
}
