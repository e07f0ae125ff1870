import { describe, expect, it } from 'vitest';
import { renderJson } from '../../compiler/diagnostics/render/json.js';
import { diagnostic, misspelledField, missingValue, sources, spanOfText } from './sample-diagnostics.js';

describe('renderJson', () => {
  it('writes a versioned report with every field present, null for absent ones', () => {
    const report = JSON.parse(renderJson([missingValue(), misspelledField(), diagnostic('MIMO0099', 'error', 'internal error: boom', undefined)], sources)) as unknown;
    const hiden = spanOfText('hiden');
    const hidden = spanOfText('hidden');
    expect(report).toEqual({
      version: 1,
      diagnostics: [
        {
          code: 'MIMO1003',
          severity: 'error',
          message: 'expected a value after `layers`',
          span: { file: 'specs/x.mimo', line: 3, column: 11, endLine: 3, endColumn: 11, offset: missingValue().span!.offset, endOffset: missingValue().span!.offset },
          related: [],
          help: 'write a number, e.g. `layers 32`',
          fix: null,
        },
        {
          code: 'MIMO3002',
          severity: 'warning',
          message: 'unknown field `hiden`',
          span: { file: 'specs/x.mimo', line: 5, column: 2, endLine: 5, endColumn: 7, offset: hiden.offset, endOffset: hiden.endOffset },
          related: [
            {
              message: '`hidden` is set here',
              span: { file: 'specs/x.mimo', line: 4, column: 5, endLine: 4, endColumn: 11, offset: hidden.offset, endOffset: hidden.endOffset },
            },
          ],
          help: null,
          fix: {
            description: 'did you mean `hidden`?',
            span: { file: 'specs/x.mimo', line: 5, column: 2, endLine: 5, endColumn: 7, offset: hiden.offset, endOffset: hiden.endOffset },
            replacement: 'hidden',
          },
        },
        { code: 'MIMO0099', severity: 'error', message: 'internal error: boom', span: null, related: [], help: null, fix: null },
      ],
      summary: { errors: 2, warnings: 1, notes: 0 },
    });
  });

  it('orders keys the same way every time and ends with a newline', () => {
    const text = renderJson([misspelledField()], sources);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys((JSON.parse(text) as { diagnostics: object[] }).diagnostics[0])).toEqual(['code', 'severity', 'message', 'span', 'related', 'help', 'fix']);
    expect(text).toBe(renderJson([misspelledField()], new Map()));
  });

  it('prints an empty report for no diagnostics, on one line when asked', () => {
    expect(renderJson([], sources, { indent: 0 })).toBe('{"version":1,"diagnostics":[],"summary":{"errors":0,"warnings":0,"notes":0}}\n');
  });
});
