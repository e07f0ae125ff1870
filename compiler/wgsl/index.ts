/**
 * WGSL kernel generators: pure functions from a concrete descriptor to a `KernelSource` (WGSL
 * text, workgroup counts, bindings, uniform words). See README.md.
 */
export type { ActivationFn, BindingAccess, ElementType, Instr, KernelBinding, KernelSource, NormFn, Program, Strided, TensorArg } from './types.js';
export { WgslDescriptorError } from './types.js';
export { attentionKernel } from './attention.js';
export type { AttentionDesc } from './attention.js';
export { causalMaskKernel } from './causalMask.js';
export type { CausalMaskDesc } from './causalMask.js';
export { convKernel } from './conv.js';
export type { ConvDesc } from './conv.js';
export { copyKernel } from './copy.js';
export type { CopyDesc, CopySource } from './copy.js';
export { elementwiseKernel } from './elementwise.js';
export type { ElementwiseDesc } from './elementwise.js';
export { gatherKernel, zipScatterKernel } from './gather.js';
export type { GatherDesc, ZipScatterDesc } from './gather.js';
export { chooseMatmulTile, matmulKernel } from './matmul.js';
export type { MatmulDesc, MatmulOutputDesc, MatmulRope, MatmulTile } from './matmul.js';
export { normKernel } from './norm.js';
export type { NormDesc } from './norm.js';
export { avgPoolKernel } from './pool.js';
export type { AvgPoolDesc } from './pool.js';
export { reduceKernel } from './reduce.js';
export type { ReduceDesc } from './reduce.js';
export { ropeKernel } from './rope.js';
export type { RopeDesc } from './rope.js';
export { softmaxKernel } from './softmax.js';
export type { SoftmaxDesc } from './softmax.js';
export { weightNormKernel } from './weightNorm.js';
export type { WeightNormDesc } from './weightNorm.js';
export { inverseFrequencies } from './rotary.js';
export { lowerPlanToWebGpu, lowerKernel } from './plan/lowerPlan.js';
export { PlanLoweringError } from './plan/operands.js';
