/**
 * Loading a program: the files named by the user and, transitively, everything they import.
 * Imports are relative to the importing file and confined to the project root: an absolute path,
 * a `..` that climbs out, or a symbolic link whose target lies outside is an error. Each file is
 * read once (by its real path), in a deterministic order: each file, then its imports depth first.
 * An import cycle is reported once, naming every file in it.
 */
import { realpath, stat, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, posix, relative, resolve as resolvePath, sep, win32 } from 'node:path';
import type { ImportDeclaration, SourceFile } from '../../grammar/ast.js';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import { ioDiagnostics } from '../diagnostics/catalog/io.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { describeIoError, errorCode, readErrorDiagnostic } from '../io/io-error.js';
import { fileStartSpan } from '../io/file-span.js';

export interface ParsedSource {
  readonly file: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Decodes and parses a file's bytes (the grammar's `parseFile`). */
export type ParseBytes = (bytes: Uint8Array, displayPath: string) => ParsedSource;

/** File-system access, replaceable in tests. Errors are thrown as Node.js errors with `code`. */
export interface SourceHost {
  realpath(path: string): Promise<string>;
  isDirectory(path: string): Promise<boolean>;
  readFile(path: string): Promise<Uint8Array>;
}

export const nodeSourceHost: SourceHost = {
  realpath: (path) => realpath(path),
  isDirectory: async (path) => (await stat(path)).isDirectory(),
  readFile: async (path) => {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  },
};

export interface LoadOptions {
  /** Imports may not leave this directory. */
  readonly root: string;
  /** Relative entry paths are resolved against this directory. */
  readonly cwd: string;
  readonly parse: ParseBytes;
  readonly host?: SourceHost;
}

export interface LoadedFile {
  readonly file: SourceFile;
  /** The file's real path (symbolic links resolved). */
  readonly realPath: string;
  /** The path used in spans: as given for entries, joined onto the importer's for imports. */
  readonly displayPath: string;
}

export interface Program {
  /** Every file read, in load order (entries in the order given, each followed by its imports). */
  readonly files: readonly LoadedFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** Texts by display path. */
  readonly sources: ReadonlyMap<string, string>;
}

interface Frame {
  readonly loaded: LoadedFile;
  /** The import of this file being followed when the next frame was entered. */
  via: ImportDeclaration | undefined;
}

export async function loadProgram(entries: readonly string[], options: LoadOptions): Promise<Program> {
  const host = options.host ?? nodeSourceHost;
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const files: LoadedFile[] = [];
  const byRealPath = new Map<string, LoadedFile>();

  let root: string;
  try {
    root = await host.realpath(resolvePath(options.cwd, options.root));
    if (!(await host.isDirectory(root))) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch {
    diagnostics.push(
      createDiagnostic(ioDiagnostics.rootNotDirectory, undefined, { path: options.root }, { help: 'give an existing directory as the project root' }),
    );
    return { files, diagnostics, sources };
  }

  const parseInto = (bytes: Uint8Array, realPath: string, displayPath: string): LoadedFile => {
    const parsed = options.parse(bytes, displayPath);
    diagnostics.push(...parsed.diagnostics);
    const loaded: LoadedFile = { file: parsed.file, realPath, displayPath };
    byRealPath.set(realPath, loaded);
    files.push(loaded);
    sources.set(displayPath, parsed.file.text);
    return loaded;
  };

  const visit = async (stack: Frame[]): Promise<void> => {
    const frame = stack[stack.length - 1];
    for (const declaration of frame.loaded.file.declarations) {
      if (declaration.kind !== 'ImportDeclaration') continue;
      const target = await locateImport(declaration, frame.loaded, root, host, diagnostics);
      if (target === undefined) continue;
      const onStack = stack.findIndex((f) => f.loaded.realPath === target.realPath);
      if (onStack !== -1) {
        frame.via = declaration;
        diagnostics.push(cycleDiagnostic(stack.slice(onStack), declaration));
        continue;
      }
      if (byRealPath.has(target.realPath)) continue;
      let bytes: Uint8Array;
      try {
        bytes = await host.readFile(target.realPath);
      } catch (error) {
        diagnostics.push(importReadError(declaration, target.displayPath, error));
        continue;
      }
      const loaded = parseInto(bytes, target.realPath, target.displayPath);
      frame.via = declaration;
      stack.push({ loaded, via: undefined });
      await visit(stack);
      stack.pop();
    }
  };

  for (const entry of entries) {
    const absolute = resolvePath(options.cwd, entry);
    let real: string;
    let bytes: Uint8Array;
    try {
      if (await host.isDirectory(absolute)) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      real = await host.realpath(absolute);
      if (byRealPath.has(real)) continue;
      bytes = await host.readFile(real);
    } catch (error) {
      diagnostics.push(readErrorDiagnostic(entry, error));
      continue;
    }
    const loaded = parseInto(bytes, real, entry);
    await visit([{ loaded, via: undefined }]);
  }
  return { files, diagnostics, sources };
}

/** Where an import points, or undefined after reporting why it cannot be followed. */
async function locateImport(
  declaration: ImportDeclaration,
  importer: LoadedFile,
  root: string,
  host: SourceHost,
  diagnostics: Diagnostic[],
): Promise<{ realPath: string; displayPath: string } | undefined> {
  const written = declaration.path.value;
  const span = declaration.path.span;
  if (written === '' || isAbsolute(written) || win32.isAbsolute(written) || posix.isAbsolute(written)) {
    diagnostics.push(
      createDiagnostic(resolveDiagnostics.importNotRelative, span, { path: written }, {
        help: 'write the path relative to this file, e.g. `import "common/decoders.mimo"`',
      }),
    );
    return undefined;
  }
  const displayPath = posix.normalize(posix.join(posix.dirname(importer.displayPath.split(sep).join('/')), written.split('\\').join('/')));
  const candidate = resolvePath(dirname(importer.realPath), written);
  if (!inside(root, candidate)) {
    diagnostics.push(outsideRoot(declaration, written, root, 'the path climbs out of the project with `..`'));
    return undefined;
  }
  let real: string;
  try {
    real = await host.realpath(candidate);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      diagnostics.push(
        createDiagnostic(resolveDiagnostics.importNotFound, span, { path: written }, {
          help: `looked for \`${displayPath}\`; import paths are relative to the importing file`,
        }),
      );
    } else {
      diagnostics.push(importReadError(declaration, displayPath, error));
    }
    return undefined;
  }
  if (!inside(root, real)) {
    diagnostics.push(outsideRoot(declaration, written, root, `it is a symbolic link to \`${real}\``));
    return undefined;
  }
  try {
    if (await host.isDirectory(real)) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    diagnostics.push(importReadError(declaration, displayPath, error));
    return undefined;
  }
  return { realPath: real, displayPath };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function outsideRoot(declaration: ImportDeclaration, written: string, root: string, why: string) {
  return createDiagnostic(resolveDiagnostics.importOutsideRoot, declaration.path.span, { path: written, root }, {
    help: `${why}; imports are confined to the project root (set it with --root if the project is larger)`,
  });
}

function importReadError(declaration: ImportDeclaration, displayPath: string, error: unknown) {
  return createDiagnostic(resolveDiagnostics.importUnreadable, declaration.path.span, { path: declaration.path.value, reason: describeIoError(error) }, {
    help: `\`${displayPath}\` must be a readable .mimo file`,
  });
}

/** One diagnostic for a cycle: at the import that closes it, with every other import in it related. */
function cycleDiagnostic(cycle: readonly Frame[], closing: ImportDeclaration): Diagnostic {
  const names = [...cycle.map((f) => f.loaded.displayPath), cycle[0].loaded.displayPath];
  const related = cycle.slice(0, -1).map((frame, i) => ({
    span: frame.via?.span ?? fileStartSpan(frame.loaded.displayPath),
    message: `\`${frame.loaded.displayPath}\` imports \`${cycle[i + 1].loaded.displayPath}\` here`,
  }));
  return createDiagnostic(resolveDiagnostics.importCycle, closing.span, { cycle: names.map((n) => `\`${n}\``).join(' -> ') }, {
    related,
    help: 'move the shared declarations into a file that both import, and remove one of these imports',
  });
}
