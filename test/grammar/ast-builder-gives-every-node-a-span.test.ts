/** The AST: every node has a span that covers its text; literals, operators and declarations come out as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Expression, Node } from '../../grammar/index.js';
import { parseSource } from '../../grammar/index.js';
import { specFiles } from './helpers.js';

/** Every node object in the tree (anything with a `kind` and a `span`). */
function nodes(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) nodes(item, out);
  else if (value !== null && typeof value === 'object') {
    if ('kind' in value && 'span' in value) out.push(value as Node);
    for (const [key, inner] of Object.entries(value)) if (key !== 'span') nodes(inner, out);
  }
  return out;
}

function valueOf(text: string): Expression {
  const { file, diagnostics } = parseSource(`model m {\n  x ${text}\n}\n`, 'v.mimo');
  expect(diagnostics).toEqual([]);
  const declaration = file.declarations[0];
  if (declaration.kind !== 'ModelDeclaration' || declaration.body.entries[0].value === undefined) throw new Error('no value');
  return declaration.body.entries[0].value;
}

/** The expression written with explicit parentheses, to show the tree's shape. */
function shape(e: Expression): string {
  switch (e.kind) {
    case 'BinaryExpression':
      return `(${shape(e.left)} ${e.operator} ${shape(e.right)})`;
    case 'UnaryExpression':
      return `(-${shape(e.operand)})`;
    case 'ParenthesizedExpression':
      return `[${shape(e.expression)}]`;
    case 'NumberLiteral':
      return e.raw;
    case 'PathExpression':
      return e.segments.map((s) => s.name).join('.');
    default:
      return e.kind;
  }
}

describe('the AST builder', () => {
  for (const file of specFiles()) {
    it(`gives every node of ${file.split('/').pop()} a span inside the text`, () => {
      const text = readFileSync(file, 'utf8');
      const parsed = parseSource(text, 'spec.mimo');
      for (const node of nodes(parsed.file)) {
        expect(node.span.file).toBe('spec.mimo');
        expect(node.span.offset).toBeGreaterThanOrEqual(0);
        expect(node.span.endOffset).toBeGreaterThan(node.span.offset - (node.kind === 'SourceFile' ? 1 : 0));
        expect(node.span.endOffset).toBeLessThanOrEqual(text.length);
        if (node.kind === 'Identifier') expect(text.slice(node.span.offset, node.span.endOffset)).toBe(node.name);
        if (node.kind === 'Comment') expect(text.slice(node.span.offset, node.span.endOffset)).toBe(`#${node.text}`);
        if (node.kind === 'Block') expect(text[node.span.offset] + text[node.span.endOffset - 1]).toBe('{}');
      }
    });
  }

  it('keeps numbers as written, without `_`', () => {
    expect(valueOf('32_000')).toMatchObject({ kind: 'NumberLiteral', raw: '32000', value: 32000, isInteger: true });
    expect(valueOf('1e-5')).toMatchObject({ raw: '1e-5', value: 1e-5, isInteger: false });
    expect(valueOf('8E9')).toMatchObject({ raw: '8E9', value: 8e9, isInteger: false });
    expect(valueOf('20.5')).toMatchObject({ raw: '20.5', value: 20.5, isInteger: false });
    expect(valueOf('12345678901234567890')).toMatchObject({ raw: '12345678901234567890', isInteger: true });
  });

  it('resolves string escapes', () => {
    expect(valueOf('"a\\"b\\\\c\\nd\\te\\u{1F600}"')).toMatchObject({ kind: 'StringLiteral', value: 'a"b\\c\nd\te\u{1F600}' });
  });

  it('gives operators their precedence, left to right within a level', () => {
    expect(shape(valueOf('1 + 2 * 3 - 4'))).toBe('((1 + (2 * 3)) - 4)');
    expect(shape(valueOf('a - b - c'))).toBe('((a - b) - c)');
    expect(shape(valueOf('a / b % c * d'))).toBe('(((a / b) % c) * d)');
    expect(shape(valueOf('-a.b * -(1 + 2) <= 3'))).toBe('(((-a.b) * (-[(1 + 2)])) <= 3)');
    expect(shape(valueOf('- - 1'))).toBe('(-(-1))');
  });

  it('builds calls with named and positional arguments, and lists', () => {
    const call = valueOf('clip_vit("ViT-L/14", select_layer: -2, [1, 2],)');
    expect(call.kind).toBe('CallExpression');
    if (call.kind !== 'CallExpression') return;
    expect(call.callee.segments.map((s) => s.name)).toEqual(['clip_vit']);
    expect(call.args.map((a) => a.name?.name)).toEqual([undefined, 'select_layer', undefined]);
    expect(call.args[2].value).toMatchObject({ kind: 'ListExpression', items: [{ raw: '1' }, { raw: '2' }] });
  });

  it('builds each kind of declaration with its parts', () => {
    const { file, diagnostics } = parseSource(
      'import "a.mimo"\nmodel b extends a { decoder llama("x") { layers 2 } }\nvariant v of b { decoder.layers = 1 }\n' +
        'zip z of b { x in [1, 2] exclude { x = 1, y = 2 } y in [3, 4] }\nassert b.params < 8e9 "fits"\n',
      'd.mimo',
    );
    expect(diagnostics).toEqual([]);
    expect(file.declarations.map((d) => d.kind)).toEqual(['ImportDeclaration', 'ModelDeclaration', 'VariantDeclaration', 'SweepDeclaration', 'AssertDeclaration']);
    const [imported, model, variant, sweep, assertion] = file.declarations;
    expect(imported).toMatchObject({ path: { value: 'a.mimo' } });
    expect(model).toMatchObject({ name: { name: 'b' }, extends: { name: 'a' } });
    if (model.kind === 'ModelDeclaration') {
      expect(model.body.entries[0]).toMatchObject({ key: { name: 'decoder' }, value: { kind: 'CallExpression' }, block: { entries: [{ key: { name: 'layers' } }] } });
    }
    expect(variant).toMatchObject({ name: { name: 'v' }, base: { name: 'b' }, assignments: [{ path: { segments: [{ name: 'decoder' }, { name: 'layers' }] }, value: { raw: '1' } }] });
    expect(sweep).toMatchObject({ mode: 'zip', axes: [{ path: { segments: [{ name: 'x' }] } }, { path: { segments: [{ name: 'y' }] } }], excludes: [{ conditions: [{}, {}] }] });
    expect(assertion).toMatchObject({ condition: { kind: 'BinaryExpression', operator: '<' }, message: { value: 'fits' } });
  });

  it('treats an empty file as a valid file with no declarations', () => {
    const { file, diagnostics } = parseSource('', 'empty.mimo');
    expect(diagnostics).toEqual([]);
    expect(file).toMatchObject({ kind: 'SourceFile', declarations: [], comments: [], span: { offset: 0, endOffset: 0, line: 1, column: 1 } });
  });

  it('reads a byte order mark left at the start of text as whitespace', () => {
    const { file, diagnostics } = parseSource('\uFEFFmodel m {}\n', 'bom.mimo');
    expect(diagnostics).toEqual([]);
    expect(file.declarations[0].span).toMatchObject({ offset: 1, line: 1, column: 2 });
  });

  it('keeps comments in order, without the `#` and trailing spaces', () => {
    const { file } = parseSource('# one  \nmodel m { x 1 } # two\n', 'c.mimo');
    expect(file.comments.map((c) => [c.text, c.span.line, c.span.column])).toEqual([
      [' one', 1, 1],
      [' two', 2, 17],
    ]);
  });

  it('counts columns after CRLF line ends', () => {
    const { file } = parseSource('model m {\r\n  layers 32\r\n}\r\n', 'crlf.mimo');
    const model = file.declarations[0];
    if (model.kind !== 'ModelDeclaration') throw new Error('expected a model');
    expect(model.body.entries[0].value?.span).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 12 });
    expect(model.body.span).toMatchObject({ endLine: 3, endColumn: 2 });
  });

  it('keeps the good declarations of a file with errors and drops the broken parts', () => {
    const { file, diagnostics } = parseSource('model a { x 1 y }\nmodel b { z 2 }\nvariant { }\n', 'e.mimo');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(file.declarations.map((d) => (d.kind === 'ModelDeclaration' ? d.name.name : d.kind))).toEqual(['a', 'b']);
    const a = file.declarations[0];
    if (a.kind === 'ModelDeclaration') expect(a.body.entries.map((e) => e.key.name)).toEqual(['x']);
  });
});
