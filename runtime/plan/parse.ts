/**
 * Reading a plan from JSON: the format and version, then enough structure that the executor can
 * trust what it indexes (buffers referenced by operands exist, views fit their buffers, kernel
 * kinds are known). Everything else is the planner's contract (compiler/plan/README.md).
 */
import { PlanFormatError } from './errors.js';
import { product } from './layout.js';
import { KERNEL_KINDS, PLAN_FORMAT, PLAN_VERSION, type Operand, type PlanJson } from './types.js';

/** Parses `plan.json` text or an already parsed object into a checked plan. */
export function parsePlan(source: string | unknown): PlanJson {
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new PlanFormatError(`the plan is not JSON: ${error instanceof Error ? error.message : String(error)}`, 'pass the plan.json `mimo plan` (or `mimo build`) wrote');
    }
  }
  checkPlan(value);
  return value;
}

/** Throws a `PlanFormatError` unless `value` is a plan this executor can run. */
export function checkPlan(value: unknown): asserts value is PlanJson {
  const fail = (what: string): never => {
    throw new PlanFormatError(`not a runnable mimo plan: ${what}`, 're-emit the plan with `mimo plan` (format `mimo-plan`, version 1)');
  };
  if (typeof value !== 'object' || value === null) return fail('it is not an object');
  const plan = value as Partial<PlanJson>;
  if (plan.format !== PLAN_FORMAT) return fail(`format is ${JSON.stringify(plan.format)}, expected "${PLAN_FORMAT}"`);
  if (plan.version !== PLAN_VERSION) return fail(`version is ${JSON.stringify(plan.version)}; this executor reads version ${PLAN_VERSION}`);
  for (const key of ['buffers', 'inputs', 'outputs', 'prepare', 'kernels'] as const) {
    if (!Array.isArray(plan[key])) return fail(`\`${key}\` is not a list`);
  }
  const buffers = plan.buffers ?? [];
  buffers.forEach((b, i) => {
    if (b?.id !== i) fail(`buffer ${i} has id ${JSON.stringify(b?.id)}`);
    if (!Array.isArray(b.shape) || b.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`buffer ${i} has a bad shape`);
  });
  const checkOperand = (o: Operand, where: string): void => {
    const b = buffers[o?.buffer];
    if (b === undefined) fail(`${where} reads buffer ${JSON.stringify(o?.buffer)}, which does not exist`);
    const v = o.view;
    if (!Array.isArray(o.shape) || !Array.isArray(v?.shape) || !Array.isArray(v.strides) || v.shape.length !== v.strides.length) fail(`${where} has a malformed view`);
    if (product(o.shape) !== product(v.shape)) fail(`${where}: view of ${product(v.shape)} elements for shape [${o.shape.join(', ')}]`);
    let last = v.offset;
    v.shape.forEach((d, i) => {
      if (d > 0) last += (d - 1) * v.strides[i];
    });
    if (product(v.shape) > 0 && (v.offset < 0 || last >= product(b.shape))) fail(`${where} reads past the end of buffer \`${b.name}\``);
  };
  for (const [list, stage] of [[plan.prepare ?? [], 'prepare'], [plan.kernels ?? [], 'kernel']] as const) {
    list.forEach((k, i) => {
      if (!KERNEL_KINDS.includes(k?.kind)) fail(`${stage} ${i} has an unknown kind ${JSON.stringify(k?.kind)}`);
      if (!Array.isArray(k.inputs) || !Array.isArray(k.outputs)) fail(`${stage} ${i} has no operand lists`);
      k.inputs.forEach((o, j) => checkOperand(o, `${stage} ${i} input ${j}`));
      k.outputs.forEach((o, j) => checkOperand(o, `${stage} ${i} output ${j}`));
    });
  }
  (plan.inputs ?? []).forEach((x, i) => checkOperand(x?.operand, `input ${i}`));
  (plan.outputs ?? []).forEach((x, i) => checkOperand(x?.operand, `output ${i}`));
}
