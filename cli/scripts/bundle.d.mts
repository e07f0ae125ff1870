/** Types of cli/scripts/bundle.mjs (plain JavaScript, run right after tsc). */
export declare const EXTERNAL_PACKAGES: readonly string[];
export declare const FROM_DIST: readonly string[];
/** Builds the CLI bundle and its code cache for the tsc output in `distDir`; resolves to the bundle's path. */
export declare function bundleCli(options?: { readonly distDir?: string }): Promise<string>;
