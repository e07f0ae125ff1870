/**
 * The canonical layout of a `.mimo` file (`mimo fmt`). Two-space indentation, one entry,
 * assignment or axis per line, one space around binary operators, `name: value` arguments,
 * `[1, 2, 3]` lists, `{}` for an empty block, one blank line between top-level declarations
 * (consecutive imports or asserts stay together unless a blank line separated them), and inside
 * blocks at most one blank line, kept where the source had one. Numbers and strings are printed
 * as written when the AST still matches the text, so `32_000` and `"\u{1F600}"` survive.
 *
 * Every comment is kept. A comment on its own line stays on its own line before the next item; a
 * comment after code on the same line stays at the end of that line. A comment inside an item
 * that the layout puts on one line (say, between two arguments) moves to its own line just before
 * the item. Printing is idempotent and the result parses back to the same tree.
 */
import type * as ast from './ast.js';
import { decodeString, encodeString } from './literals.js';
import { operatorPrecedence } from './operators.js';

export function formatSourceFile(file: ast.SourceFile): string {
  return new Printer(file).print();
}

const INDENT = '  ';

const precedence = operatorPrecedence;

class Printer {
  private readonly out: string[] = [];
  private readonly text: string;
  private readonly comments: readonly ast.Comment[];
  private next = 0;
  /** What the last printed line was: nothing yet, a line ending in `{`, or anything else. */
  private last: 'start' | 'open' | 'content' = 'start';
  private blankWanted = false;

  constructor(private readonly file: ast.SourceFile) {
    this.text = file.text;
    this.comments = [...file.comments].sort((a, b) => a.span.offset - b.span.offset);
  }

  print(): string {
    const declarations = this.file.declarations;
    for (let i = 0; i < declarations.length; i++) {
      const declaration = declarations[i];
      const previous = declarations[i - 1];
      const keptTogether =
        previous !== undefined &&
        previous.kind === declaration.kind &&
        (declaration.kind === 'ImportDeclaration' || declaration.kind === 'AssertDeclaration');
      if (previous !== undefined && !keptTogether) this.blankWanted = true;
      this.declaration(declaration);
    }
    this.flushComments(Number.POSITIVE_INFINITY, 0);
    return this.out.length === 0 ? '' : `${this.out.join('\n')}\n`;
  }

  // ---- lines and comments ---------------------------------------------------------------------

  private push(indent: number, content: string, opensBlock: boolean): void {
    if (this.blankWanted && this.last === 'content') this.out.push('');
    this.blankWanted = false;
    this.out.push(INDENT.repeat(indent) + content);
    this.last = opensBlock ? 'open' : 'content';
  }

  /** The source had an empty line just before `offset`. */
  private blankBefore(offset: number): boolean {
    let newlines = 0;
    for (let i = Math.min(offset, this.text.length) - 1; i >= 0; i--) {
      const code = this.text.charCodeAt(i);
      if (code === 10) newlines++;
      else if (code === 13) {
        if (this.text.charCodeAt(i + 1) !== 10) newlines++;
      } else if (code !== 32 && code !== 9 && code !== 12) break;
      if (newlines >= 2) return true;
    }
    return false;
  }

  /** Comments that start before `offset`, each on its own line. */
  private flushComments(offset: number, indent: number): void {
    while (this.next < this.comments.length && this.comments[this.next].span.offset < offset) {
      const comment = this.comments[this.next++];
      if (this.blankBefore(comment.span.offset)) this.blankWanted = true;
      this.push(indent, `#${comment.text}`, false);
    }
  }

  /**
   * One output line for the source range `[start, end)`: comments before it (and inside it) on
   * their own lines first, then the line, then a comment that follows `end` on the same source
   * line with nothing but spaces between, at the end of the line.
   */
  private line(indent: number, content: string, start: number, end: number, opensBlock = false, closesBlock = false): void {
    this.flushComments(start, indent);
    if (!closesBlock && this.blankBefore(start)) this.blankWanted = true;
    this.flushComments(end, indent);
    this.push(indent, content, opensBlock);
    const comment = this.comments[this.next];
    if (comment !== undefined && comment.span.offset >= end && /^[ \t\f]*$/.test(this.text.slice(end, comment.span.offset))) {
      this.out[this.out.length - 1] += ` #${comment.text}`;
      this.next++;
    }
  }

  /** The closing `}` at `offset`: comments before it stay inside the block; no blank line before it. */
  private close(indent: number, offset: number): void {
    this.flushComments(offset, indent + 1);
    this.blankWanted = false;
    this.line(indent, '}', offset, offset + 1, false, true);
  }

  private hasCommentsIn(start: number, end: number): boolean {
    let low = 0;
    let high = this.comments.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.comments[middle].span.offset < start) low = middle + 1;
      else high = middle;
    }
    return low < this.comments.length && this.comments[low].span.offset < end;
  }

  /** Offset of the `{` that opens a variant or sweep body: the first `{` after `from` outside comments. */
  private openBraceAfter(from: number, fallback: number): number {
    for (let i = from; i < this.text.length; i++) {
      const char = this.text[i];
      if (char === '{') return i;
      if (char === '#') {
        while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
      } else if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r' && char !== '\f') break;
    }
    return fallback;
  }

  /** Offset of a construct's closing `}` (its last character when that is one). */
  private closeBraceAt(span: ast.Span): number {
    return this.text[span.endOffset - 1] === '}' ? span.endOffset - 1 : span.endOffset;
  }

  // ---- declarations ---------------------------------------------------------------------------

  private declaration(node: ast.Declaration): void {
    switch (node.kind) {
      case 'ImportDeclaration':
        this.line(0, `import ${this.expression(node.path)}`, node.span.offset, node.span.endOffset);
        return;
      case 'AssertDeclaration': {
        const message = node.message === undefined ? '' : ` ${this.expression(node.message)}`;
        this.line(0, `assert ${this.expression(node.condition)}${message}`, node.span.offset, node.span.endOffset);
        return;
      }
      case 'ModelDeclaration': {
        const base = node.extends === undefined ? '' : ` extends ${node.extends.name}`;
        this.block(0, `model ${node.name.name}${base}`, node.span.offset, node.body);
        return;
      }
      case 'VariantDeclaration':
        this.body(
          `variant ${node.name.name} of ${node.base.name}`,
          node.span,
          node.base.span.endOffset,
          node.assignments.map((assignment) => () => this.assignment(1, assignment)),
          node.assignments.map((assignment) => assignment.span.offset),
        );
        return;
      case 'SweepDeclaration': {
        const items = [
          ...node.axes.map((axis) => ({ offset: axis.span.offset, print: () => this.axis(axis) })),
          ...node.excludes.map((clause) => ({ offset: clause.span.offset, print: () => this.exclude(clause) })),
        ].sort((a, b) => a.offset - b.offset);
        this.body(
          `${node.mode} ${node.name.name} of ${node.base.name}`,
          node.span,
          node.base.span.endOffset,
          items.map((item) => item.print),
          items.map((item) => item.offset),
        );
        return;
      }
    }
  }

  /** A variant or sweep: header, items one per line, `}`. */
  private body(header: string, span: ast.Span, afterBase: number, items: readonly (() => void)[], offsets: readonly number[]): void {
    const open = this.openBraceAfter(afterBase, offsets[0] ?? span.endOffset);
    const close = this.closeBraceAt(span);
    if (items.length === 0 && !this.hasCommentsIn(open + 1, close)) {
      this.line(0, `${header} {}`, span.offset, span.endOffset);
      return;
    }
    this.line(0, `${header} {`, span.offset, open + 1, true);
    for (const item of items) item();
    this.close(0, close);
  }

  private assignment(indent: number, node: ast.Assignment): void {
    this.line(indent, this.assignmentText(node), node.span.offset, node.span.endOffset);
  }

  private assignmentText(node: ast.Assignment): string {
    return `${this.expression(node.path)} = ${this.expression(node.value)}`;
  }

  private axis(node: ast.SweepAxis): void {
    this.line(1, `${this.expression(node.path)} in ${this.expression(node.values)}`, node.span.offset, node.span.endOffset);
  }

  private exclude(node: ast.ExcludeClause): void {
    const conditions = node.conditions.map((condition) => this.assignmentText(condition)).join(', ');
    this.line(1, conditions === '' ? 'exclude {}' : `exclude { ${conditions} }`, node.span.offset, node.span.endOffset);
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** `head {` + entries + `}`, or `head {}` when the block holds nothing (not even a comment). */
  private block(indent: number, head: string, start: number, block: ast.Block): void {
    const close = this.closeBraceAt(block.span);
    if (block.entries.length === 0 && !this.hasCommentsIn(block.span.offset + 1, close)) {
      this.line(indent, `${head} {}`, start, block.span.endOffset);
      return;
    }
    this.line(indent, `${head} {`, start, block.span.offset + 1, true);
    for (const entry of block.entries) this.entry(indent + 1, entry);
    this.close(indent, close);
  }

  private entry(indent: number, node: ast.Entry): void {
    const head = node.value === undefined ? node.key.name : `${node.key.name} ${this.expression(node.value)}`;
    if (node.block === undefined) this.line(indent, head, node.span.offset, node.span.endOffset);
    else this.block(indent, head, node.span.offset, node.block);
  }

  // ---- expressions ----------------------------------------------------------------------------

  private expression(node: ast.Expression): string {
    switch (node.kind) {
      case 'NumberLiteral': {
        const written = this.sourceText(node.span);
        return written !== undefined && written.replace(/_/g, '') === node.raw ? written : node.raw;
      }
      case 'StringLiteral': {
        const written = this.sourceText(node.span);
        const closed = written !== undefined && written.length >= 2 && written.startsWith('"') && written.endsWith('"');
        return closed && decodeString(written).value === node.value && decodeString(written).invalidEscapes.length === 0
          ? written
          : encodeString(node.value);
      }
      case 'BooleanLiteral':
        return node.value ? 'true' : 'false';
      case 'ListExpression':
        return `[${node.items.map((item) => this.expression(item)).join(', ')}]`;
      case 'PathExpression':
        return node.segments.map((segment) => segment.name).join('.');
      case 'CallExpression':
        return `${this.expression(node.callee)}(${node.args.map((arg) => this.argument(arg)).join(', ')})`;
      case 'BinaryExpression': {
        const level = precedence[node.operator];
        const left = this.expression(node.left);
        const right = this.expression(node.right);
        // Parentheses only where the tree differs from how the text would parse (left-associative levels).
        const leftNeeds = node.left.kind === 'BinaryExpression' && (precedence[node.left.operator] < level || (level === 1 && precedence[node.left.operator] === 1));
        const rightNeeds = node.right.kind === 'BinaryExpression' && precedence[node.right.operator] <= level;
        return `${leftNeeds ? `(${left})` : left} ${node.operator} ${rightNeeds ? `(${right})` : right}`;
      }
      case 'UnaryExpression': {
        const operand = this.expression(node.operand);
        if (node.operand.kind === 'BinaryExpression') return `-(${operand})`;
        // `- -1`, not `--1`, which reads like a decrement.
        return operand.startsWith('-') ? `- ${operand}` : `-${operand}`;
      }
      case 'ParenthesizedExpression':
        return `(${this.expression(node.expression)})`;
    }
  }

  private argument(node: ast.Argument): string {
    const value = this.expression(node.value);
    return node.name === undefined ? value : `${node.name.name}: ${value}`;
  }

  /** The text under a span, when the span lies inside this file's text. */
  private sourceText(span: ast.Span): string | undefined {
    if (span.endOffset <= span.offset || span.endOffset > this.text.length) return undefined;
    return this.text.slice(span.offset, span.endOffset);
  }
}
