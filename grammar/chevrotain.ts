/**
 * Chevrotain's runtime, loaded from the single-file ESM bundle the package ships
 * (`chevrotain/lib/chevrotain.mjs`) instead of its many-module build: the latter pulls in ~450
 * lodash-es modules and costs ~0.6 s of CPU to load, the bundle ~30 ms. Same code, same version
 * (the bundle is in the package directory that `chevrotain` resolves to). Types still come from
 * the package. The package's `exports` do not list the bundle, so it is found next to the entry
 * point; if a future version stops shipping it, the ordinary entry point is used.
 *
 * Every runtime value the grammar takes from Chevrotain comes through here, so that tokens, EOF
 * and grammar classes all belong to one copy of the library.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

function bundleUrl(): string | undefined {
  try {
    // `chevrotain` resolves to <package>/lib/src/api.js; the bundle is <package>/lib/chevrotain.mjs.
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = join(dirname(dirname(entry)), 'chevrotain.mjs');
    return existsSync(bundle) ? pathToFileURL(bundle).href : undefined;
  } catch {
    return undefined;
  }
}

const url = bundleUrl();
const chevrotain: typeof Chevrotain = url === undefined ? await import('chevrotain') : ((await import(url)) as typeof Chevrotain);

export const { CstParser, EOF, Lexer, createToken, createTokenInstance, createSyntaxDiagramsCode, generateCstDts } = chevrotain;
export type CstParser = Chevrotain.CstParser;
export type Lexer = Chevrotain.Lexer;
