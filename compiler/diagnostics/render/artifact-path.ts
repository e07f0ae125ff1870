/**
 * Where a diagnostic's file lives, for formats read by other tools (SARIF, GitHub annotations):
 * relative to the project root with forward slashes when it is inside the root, absolute otherwise.
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';

export interface ArtifactPathOptions {
  /** The project root that relative paths are reported against. */
  readonly root: string;
  /** The directory relative span paths were given against (the CLI's working directory). */
  readonly cwd: string;
}

export type ArtifactPath =
  | { readonly insideRoot: true; readonly path: string }
  | { readonly insideRoot: false; readonly path: string };

export function artifactPath(file: string, options: ArtifactPathOptions): ArtifactPath {
  const absolute = resolve(options.cwd, file);
  const fromRoot = relative(resolve(options.cwd, options.root), absolute);
  const escapes = fromRoot === '..' || fromRoot.startsWith(`..${sep}`);
  if (fromRoot !== '' && !escapes && !isAbsolute(fromRoot)) {
    return { insideRoot: true, path: toForwardSlashes(fromRoot) };
  }
  return { insideRoot: false, path: toForwardSlashes(absolute) };
}

function toForwardSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join(posix.sep);
}

/** Percent-encodes each segment of a forward-slash path for use in a URI. */
export function encodeUriPath(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

/** A `file:` URI for an absolute forward-slash path (`/a/b` or `C:/a/b`). */
export function fileUri(absolutePath: string): string {
  const withLeadingSlash = absolutePath.startsWith('/') ? absolutePath : `/${absolutePath}`;
  // Keep a Windows drive's colon readable (`file:///C:/...`).
  return `file://${encodeUriPath(withLeadingSlash).replace(/^\/([A-Za-z])%3A/, '/$1:')}`;
}
