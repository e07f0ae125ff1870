/**
 * The public runtime entry: what generated model code imports. Backends and the tfjs namespace,
 * ops-level layers, and whole blocks per model family (see runtime/README.md).
 */
export * from './backend/index.js';
export * from './layers/index.js';
export * from './blocks/index.js';
// runtime/io (safetensors, zipper, media front ends, seeded init) is exported below by its owner.
export * from './io/index.js';
// runtime/webgpu: the plan executor (generated WGSL from one arena, one submit per forward).
export * from './webgpu/index.js';
