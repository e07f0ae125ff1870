/** Types of cli/scripts/bundle.mjs (plain JavaScript, run right after tsc). */
export declare const EXTERNAL_PACKAGES: readonly string[];
export declare const FROM_DIST: readonly string[];
/** Builds the CLI bundle and its code cache for the tsc output in `distDir`; resolves to the bundle's path. */
export declare function bundleCli(options?: { readonly distDir?: string }): Promise<string>;
/** The esbuild plugin that keeps runtime/ (and FROM_DIST) out of the bundle, imported from `distDir` by `import()` only. */
export declare function loadFromDist(distDir: string, bundleDir: string): import('esbuild').Plugin;
/** Rewrites the bundle's marked import() of dist/ modules into launcher calls; throws if any other import() is left. */
export declare function routeDistImports(code: string): string;
