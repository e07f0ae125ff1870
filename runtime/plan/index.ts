/**
 * The tfjs plan executor (see README.md): runs a fused `mimo-plan` with tfjs fused ops on the
 * active backend (wasm, cpu, tensorflow). The runtime never imports the compiler: the plan is data.
 */
export { createPlanExecutor, type PlanExecutor, type PlanExecutorStats, type PlanForward, type PlanInputs, type PlanInputValue, type PlanWeightSource } from './executor.js';
export { parsePlan, checkPlan } from './parse.js';
export { PlanFormatError, PlanRunError } from './errors.js';
export { countTfKernels, type TfKernelCount } from './dispatches.js';
export type * from './types.js';
export { PLAN_FORMAT, PLAN_VERSION, KERNEL_KINDS } from './types.js';
