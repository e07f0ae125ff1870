/** Code generation: typed TypeScript model modules from checked models. See README.md. */
export { generateCode, DEFAULT_RUNTIME_IMPORT, type GenerateOptions, type GenerateResult, type GeneratedFile, type GeneratedModel } from './generate.js';
export { writeGeneratedFiles } from './write.js';
export { emitModelModule, configValue, type ModelModule, type ModelModuleOptions } from './modelModule.js';
export { supportModuleText, SUPPORT_FILE } from './supportModule.js';
export { unsupportedFeatures } from './supported.js';
export { stringLiteral, commentText, propertyKey, propertyAccess, valueLiteral } from './literals.js';
export { mangleIdentifier, pascalCase, camelCase, fileBaseName, isSafeIdentifier, NameAllocator } from './identifiers.js';
export { transpileGenerated, type TranspiledFile } from './transpile.js';
export { typecheckGenerated, type TypecheckResult } from './typecheck.js';
export { importGenerated, type LoadGeneratedOptions } from './load.js';
export { packageRoot, runtimeRunEntry, runtimeSourceEntry } from './runtimeLocation.js';
