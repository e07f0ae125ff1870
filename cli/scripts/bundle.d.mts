/** Types of cli/scripts/bundle.mjs (a plain script, so that it runs right after tsc). */
export declare const EXTERNAL_PACKAGES: readonly string[];
/** Where the bundle's entry module is for a given dist/ folder. */
export declare function bundleEntry(distDir: string): string;
/** Builds the CLI bundle for the tsc output in `distDir`; resolves to the entry's path. */
export declare function bundleCli(options?: { readonly distDir?: string }): Promise<string>;
