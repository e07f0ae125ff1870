/** What a family lowering reads and where it reports problems. */
import type { Diagnostic, Span } from '../../diagnostics/types.js';
import type { CheckedModel } from '../../model/types.js';
import type { GraphBuilder } from '../builder.js';

export interface LowerContext {
  readonly b: GraphBuilder;
  readonly model: CheckedModel;
  readonly report: (diagnostic: Diagnostic) => void;
}

/** The span recorded for a dotted path, or for its nearest recorded ancestor. */
export function spanAt(model: CheckedModel, path: string): Span | undefined {
  let p = path;
  for (;;) {
    const span = model.spans.get(p);
    if (span !== undefined) return span;
    const dot = p.lastIndexOf('.');
    if (dot < 0) return undefined;
    p = p.slice(0, dot);
  }
}
