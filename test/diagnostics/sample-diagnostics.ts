/** Diagnostics over a small spec, shared by the renderer tests. Spans come from the grammar's LineIndex. */
import type { Diagnostic, Fix, RelatedSpan, Severity, Span } from '../../compiler/diagnostics/types.js';
import { spanOf } from '../../grammar/line-index.js';

export const specPath = 'specs/x.mimo';

export const specText = ['model m {', '  decoder llama {', '    layers', '    hidden 4096', '\thiden 12', '  }', '}', ''].join('\n');

/** The span of the `nth` (0-based) occurrence of `needle` in `text`. */
export function spanOfText(needle: string, text: string = specText, file: string = specPath, nth = 0): Span {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" not found`);
  }
  return spanOf(file, text, at, at + needle.length);
}

export function diagnostic(
  code: string,
  severity: Severity,
  message: string,
  span: Span | undefined,
  details: { related?: RelatedSpan[]; help?: string; fix?: Fix } = {},
): Diagnostic {
  return { code, severity, message, span, related: details.related ?? [], help: details.help, fix: details.fix };
}

/** An error right after `layers` (an empty span), with help. */
export function missingValue(): Diagnostic {
  const at = specText.indexOf('layers') + 'layers'.length;
  return diagnostic('MIMO1003', 'error', 'expected a value after `layers`', spanOf(specPath, specText, at), {
    help: 'write a number, e.g. `layers 32`',
  });
}

/** A warning on a tab-indented line, with a related span and a fix. */
export function misspelledField(): Diagnostic {
  return diagnostic('MIMO3002', 'warning', 'unknown field `hiden`', spanOfText('hiden'), {
    related: [{ span: spanOfText('hidden'), message: '`hidden` is set here' }],
    fix: { description: 'did you mean `hidden`?', span: spanOfText('hiden'), replacement: 'hidden' },
  });
}

export const sources: ReadonlyMap<string, string> = new Map([[specPath, specText]]);
