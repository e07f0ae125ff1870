/** File input and output for the CLI and the build: reads that report diagnostics, atomic writes. */
export { readSourceFile } from './read-source.js';
export type { ReadResult, ReadOptions } from './read-source.js';
export { writeFileAtomic } from './write-atomic.js';
export type { WriteOptions } from './write-atomic.js';
export { readErrorDiagnostic, writeErrorDiagnostic, describeIoError } from './io-error.js';
export { fileStartSpan } from './file-span.js';
export { importUrl } from './import-url.js';
