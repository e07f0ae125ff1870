/**
 * Something to train: when the decoder, every encoder and every projector are frozen, training
 * the model would update nothing. Usually a `frozen: true` copied onto a projector by mistake.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { readBoolean, type Part } from '../read.js';

export function TrainableModulesRule(context: RuleContext): void {
  const { decoder, senses, model } = context.parts;
  if (decoder === undefined) return;
  const modules: (Part | undefined)[] = [decoder, ...senses.flatMap((s) => [s.encoder, s.projector])];
  const frozen = modules.map((part) => (part === undefined ? undefined : readBoolean(part, 'frozen')?.value));
  if (frozen.some((f) => f !== true)) return;
  context.report(
    createDiagnostic(checkDiagnostics.nothingTrainable, model.origin.span, { model: model.id }, {
      help: 'unfreeze the projectors (the usual LLaVA recipe trains them first), or the decoder',
    }),
  );
}
