/**
 * Resolution: from parsed files to the models to check. `loadProgram` reads the named files and
 * everything they import (confined to the project root); `resolveProgram` applies presets,
 * `extends`, variants, sweeps and `--set` overrides, giving one resolved tree per model, variant
 * and sweep point, every value still carrying the span of the text that set it.
 */
export { loadProgram, nodeSourceHost } from './program.js';
export type { LoadOptions, LoadedFile, ParseBytes, ParsedSource, Program, SourceHost } from './program.js';
export { resolveProgram } from './resolve.js';
export type { ResolveOptions, ResolvedProgram } from './resolve.js';
export { parseOverride, overrideFileName } from './overrides.js';
export type { ParseText, ParsedOverride } from './overrides.js';
export { setPath, getPath } from './paths.js';
export type { PathRef, SetResult } from './paths.js';
export { printValue, sameValue, describeValue, fieldValue, PRESET_FILE_PREFIX } from './tree.js';
export type {
  ComponentValue,
  FieldMap,
  ResolvedField,
  ResolvedModel,
  ResolvedModelBody,
  ResolvedSense,
  ResolvedValue,
  SweepCoordinate,
} from './tree.js';
