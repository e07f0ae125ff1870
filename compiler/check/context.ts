/**
 * What a rule sees: one resolved model, its parts read through the schema, and a way to report.
 * A rule is a function of this context; the registry (`registry.ts`) lists them in order.
 */
import type { Diagnostic, Span } from '../diagnostics/types.js';
import type { ResolvedModel } from '../resolve/tree.js';
import { PRESET_FILE_PREFIX } from '../resolve/tree.js';
import type { ModelParts } from './read.js';

export interface RuleContext {
  readonly model: ResolvedModel;
  readonly parts: ModelParts;
  report(diagnostic: Diagnostic): void;
}

export type Rule = (context: RuleContext) => void;

/**
 * The span to blame among several that together cause a problem: the first one written in the
 * user's files (a preset line is rarely what the user should edit), else the first one known.
 */
export function blame(...spans: readonly (Span | undefined)[]): Span | undefined {
  const known = spans.filter((s): s is Span => s !== undefined);
  return known.find((s) => !s.file.startsWith(PRESET_FILE_PREFIX)) ?? known[0];
}

/** Related spans for the other places involved (skipping the blamed one and unknown ones). */
export function alsoAt(primary: Span | undefined, ...places: readonly { span: Span | undefined; message: string }[]): { span: Span; message: string }[] {
  return places.filter((p): p is { span: Span; message: string } => p.span !== undefined && p.span !== primary);
}
