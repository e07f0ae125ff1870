import { describe, expect, it } from 'vitest';
import { renderPretty } from '../../compiler/diagnostics/render/pretty.js';
import { spanOf } from '../../grammar/line-index.js';
import { diagnostic, misspelledField, missingValue, sources, spanOfText, specPath, specText } from './sample-diagnostics.js';

const plain = { color: false } as const;

describe('renderPretty', () => {
  it('shows the header, location, source line with a caret and the help', () => {
    expect(renderPretty([missingValue()], sources, plain)).toBe(
      [
        'error[MIMO1003]: expected a value after `layers`',
        ' --> specs/x.mimo:3:11',
        '  |',
        '3 |     layers',
        '  |           ^',
        '  = help: write a number, e.g. `layers 32`',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('expands tabs, shows related spans as notes and the fix applied', () => {
    expect(renderPretty([misspelledField()], sources, { color: false, summary: false })).toBe(
      [
        'warning[MIMO3002]: unknown field `hiden`',
        ' --> specs/x.mimo:5:2',
        '  |',
        '5 |     hiden 12',
        '  |     ^^^^^',
        'note: `hidden` is set here',
        ' --> specs/x.mimo:4:5',
        '  |',
        '4 |     hidden 4096',
        '  |     ------',
        'fix: did you mean `hidden`?',
        '  |',
        '5 |     hidden 12',
        '  |     ~~~~~~',
        '',
      ].join('\n'),
    );
  });

  it('marks every line of a multi-line span and shows a deletion with dashes', () => {
    const start = specText.indexOf('decoder');
    const end = specText.indexOf('  }\n}') + 3;
    const block = diagnostic('MIMO3003', 'error', 'this block is wrong', spanOf(specPath, specText, start, end), {
      fix: { description: 'remove the `hidden` line', span: spanOfText('    hidden 4096\n'), replacement: '' },
    });
    expect(renderPretty([block], sources, { color: false, summary: false })).toBe(
      [
        'error[MIMO3003]: this block is wrong',
        ' --> specs/x.mimo:2:3',
        '  |',
        '2 |   decoder llama {',
        '  |   ^^^^^^^^^^^^^^^',
        '3 |     layers',
        '  |     ^^^^^^',
        '4 |     hidden 4096',
        '  |     ^^^^^^^^^^^',
        '5 |     hiden 12',
        '  |     ^^^^^^^^',
        '6 |   }',
        '  |   ^',
        'fix: remove the `hidden` line',
        '  |',
        '4 |     hidden 4096',
        '  | ---------------',
        '',
      ].join('\n'),
    );
  });

  it('elides the middle of long spans and widens the gutter for two-digit line numbers', () => {
    const text = `${Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n')}\n`;
    const span = spanOf('long.mimo', text, text.indexOf('line3'), text.indexOf('line11') + 'line11'.length);
    const output = renderPretty([diagnostic('MIMO3004', 'error', 'long', span)], new Map([['long.mimo', text]]), { color: false, summary: false });
    expect(output).toBe(
      [
        'error[MIMO3004]: long',
        '  --> long.mimo:3:1',
        '   |',
        ' 3 | line3',
        '   | ^^^^^',
        ' 4 | line4',
        '   | ^^^^^',
        '   | ...',
        '10 | line10',
        '   | ^^^^^^',
        '11 | line11',
        '   | ^^^^^^',
        '',
      ].join('\n'),
    );
  });

  it('renders a CRLF file exactly like the same file with LF line ends', () => {
    const crlf = specText.replace(/\n/g, '\r\n');
    const at = crlf.indexOf('layers') + 'layers'.length;
    const onCrlf = diagnostic('MIMO1003', 'error', 'expected a value after `layers`', spanOf(specPath, crlf, at), {
      help: 'write a number, e.g. `layers 32`',
    });
    const output = renderPretty([onCrlf], new Map([[specPath, crlf]]), plain);
    expect(output).toBe(renderPretty([missingValue()], sources, plain));
    expect(output).not.toContain('\r');
  });

  it('shows only the location when the source text is not available, and nothing when there is no span', () => {
    const missing = diagnostic('MIMO0001', 'error', 'cannot read `y.mimo`: no such file', spanOf('y.mimo', '', 0), { help: 'check the path' });
    const run = diagnostic('MIMO0099', 'error', 'internal error: boom', undefined);
    expect(renderPretty([missing, run], new Map(), plain)).toBe(
      [
        'error[MIMO0001]: cannot read `y.mimo`: no such file',
        ' --> y.mimo:1:1',
        '  = help: check the path',
        '',
        'error[MIMO0099]: internal error: boom',
        '',
        '2 errors',
        '',
      ].join('\n'),
    );
  });

  it('uses ANSI colours only when asked', () => {
    const coloured = renderPretty([missingValue()], sources, { color: true });
    expect(coloured).toBe(
      [
        '\x1b[1;31merror[MIMO1003]\x1b[0m\x1b[1m: expected a value after `layers`\x1b[0m',
        ' \x1b[1;34m-->\x1b[0m specs/x.mimo:3:11',
        '  \x1b[1;34m|\x1b[0m',
        '\x1b[1;34m3\x1b[0m \x1b[1;34m|\x1b[0m     layers',
        '  \x1b[1;34m|\x1b[0m           \x1b[1;31m^\x1b[0m',
        '  \x1b[1;34m=\x1b[0m \x1b[1mhelp\x1b[0m: write a number, e.g. `layers 32`',
        '',
        '\x1b[1m1 error\x1b[0m',
        '',
      ].join('\n'),
    );
    expect(renderPretty([missingValue(), misspelledField()], sources, plain)).not.toContain('\x1b');
  });

  it('never copies escape sequences from a hostile source or message to the terminal', () => {
    const text = 'model \x1b[2Jm {}\n';
    const span = spanOf('evil.mimo', text, 6, 10);
    const output = renderPretty([diagnostic('MIMO1001', 'error', 'unexpected \x1b[31m', span)], new Map([['evil.mimo', text]]), plain);
    expect(output).not.toContain('\x1b');
    expect(output).toContain('model \uFFFD[2Jm {}');
  });

  it('counts errors, warnings and notes in the summary, and prints nothing for no diagnostics', () => {
    const note = diagnostic('MIMO3005', 'note', 'a note', undefined);
    const output = renderPretty([missingValue(), misspelledField(), missingValue(), note], sources, plain);
    expect(output.endsWith('\n2 errors, 1 warning, 1 note\n')).toBe(true);
    expect(renderPretty([], sources, plain)).toBe('');
  });

  it('is deterministic', () => {
    const all = [missingValue(), misspelledField()];
    expect(renderPretty(all, sources, plain)).toBe(renderPretty(all, new Map(sources), plain));
  });
});
