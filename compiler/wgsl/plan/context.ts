/**
 * What a kernel lowering may use besides the operand mapping: extra buffers it asks for (the
 * zipper's routing table, constant tables) and host steps that fill them before each forward.
 */
import type { GpuHostStep } from '../../../runtime/webgpu/program.js';
import type { Plan } from '../../plan/types.js';
import type { AdapterClass } from '../matmul.js';
import type { KernelSource } from '../types.js';
import type { PlanBuffers } from './operands.js';

export interface LowerContext {
  readonly plan: Plan;
  readonly buffers: PlanBuffers;
  readonly hostSteps: GpuHostStep[];
  /** The adapter kind kernels are tuned for (tile shapes; results are the same). */
  readonly adapter: AdapterClass;
}

/** A plan kernel becomes one or more dispatches (most kinds: exactly one). */
export type Lowered = readonly KernelSource[];
