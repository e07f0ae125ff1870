/** Types of cli/scripts/launch.mjs (plain JavaScript: bin/mimo runs it without a build step). */
import type { CliContext } from '../context.js';

export declare function bundlePaths(distDir: string): { readonly bundle: string; readonly cache: string };
export interface LoadedCli {
  main(argv: readonly string[], partial?: Partial<CliContext>): Promise<number>;
  /** Whether V8 used the code cache: 'none' when there was none to use. */
  readonly cache: 'accepted' | 'rejected' | 'none';
  createCachedData(): Buffer;
}
export declare function loadBundledCli(path: string, cachePath: string | undefined): LoadedCli;
