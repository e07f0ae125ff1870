import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeGithubData, escapeGithubProperty, renderGithub } from '../../compiler/diagnostics/render/github.js';
import { spanOf } from '../../grammar/line-index.js';
import { diagnostic, misspelledField, missingValue, sources } from './sample-diagnostics.js';

const root = resolve('/project');
const options = { root, cwd: root };

describe('renderGithub', () => {
  it('writes one workflow command per diagnostic with file, line, columns and the code as title', () => {
    expect(renderGithub([missingValue()], sources, options)).toBe(
      '::error file=specs/x.mimo,line=3,col=11,endLine=3,endColumn=11,title=MIMO1003::expected a value after `layers`%0Ahelp: write a number, e.g. `layers 32`\n',
    );
  });

  it('maps warnings and notes, and puts related places and the fix on further lines', () => {
    const output = renderGithub([misspelledField(), diagnostic('MIMO3005', 'note', 'just so you know', undefined)], sources, options);
    expect(output).toBe(
      [
        '::warning file=specs/x.mimo,line=5,col=2,endLine=5,endColumn=6,title=MIMO3002::unknown field `hiden`' +
          '%0Anote: `hidden` is set here (specs/x.mimo:4:5)' +
          '%0Afix: did you mean `hidden`? (replace specs/x.mimo:5:2 with "hidden")',
        '::notice title=MIMO3005::just so you know',
        '',
      ].join('\n'),
    );
  });

  it('leaves columns out for spans over several lines', () => {
    const text = 'a {\n  b\n}\n';
    const output = renderGithub([diagnostic('MIMO3003', 'error', 'block', spanOf('a.mimo', text, 0, text.length - 1))], new Map(), options);
    expect(output).toBe('::error file=a.mimo,line=1,endLine=3,title=MIMO3003::block\n');
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeGithubData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeGithubProperty('C:\\dir,x%\n')).toBe('C%3A\\dir%2Cx%25%0A');
    const span = spanOf('we:ird,name%.mimo', 'x', 0, 1);
    const output = renderGithub([diagnostic('MIMO1001', 'error', 'bad: 50%\nreally', span)], new Map(), options);
    expect(output).toBe('::error file=we%3Aird%2Cname%25.mimo,line=1,col=1,endLine=1,endColumn=1,title=MIMO1001::bad: 50%25%0Areally\n');
  });

  it('reports paths relative to the root, absolute outside it', () => {
    const outside = diagnostic('MIMO1001', 'error', 'x', spanOf('/elsewhere/a.mimo', 'x', 0, 1));
    expect(renderGithub([outside], new Map(), options)).toContain('file=/elsewhere/a.mimo,');
  });
});
