/**
 * grammar/cst.d.ts and docs/syntax-diagrams.html are generated from the parser
 * (`npm run generate:grammar`); the committed files must equal fresh output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactPaths, generateGrammarArtifacts } from '../../grammar/scripts/generate.js';
import { repoRoot } from './helpers.js';

describe('the generated grammar files are up to date', () => {
  const fresh = generateGrammarArtifacts();
  it('grammar/cst.d.ts equals freshly generated CST types', () => {
    expect(readFileSync(join(repoRoot, artifactPaths.cstDts), 'utf8')).toBe(fresh.cstDts);
  });
  it('docs/syntax-diagrams.html equals freshly generated diagrams', () => {
    expect(readFileSync(join(repoRoot, artifactPaths.syntaxDiagramsHtml), 'utf8')).toBe(fresh.syntaxDiagramsHtml);
  });
  it('the CST types name every grammar rule', () => {
    for (const rule of ['SourceFile', 'Declaration', 'ModelDeclaration', 'Entry', 'Operand', 'Argument', 'Path']) {
      expect(fresh.cstDts).toContain(`export interface ${rule}CstNode extends CstNode`);
    }
  });
});
