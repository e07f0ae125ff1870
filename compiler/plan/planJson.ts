/**
 * plan.json in and out. Writing validates against the schema (a failure is a compiler bug) and
 * gives the same bytes for the same plan. Reading parses, checks the format version, validates
 * with ajv, then checks that every operand names an existing buffer; any failure is a diagnostic
 * pointing at the offending place in the file.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createDiagnostic } from '../diagnostics/create.js';
import { lowerDiagnostics } from '../diagnostics/catalog/lower.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { planSchema } from './schema.js';
import { PLAN_FORMAT, PLAN_VERSION, type Operand, type Plan } from './types.js';
import { product, viewExtent } from './view.js';

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(planSchema);
  return validator;
}

/** The plan's JSON text (2-space indented, trailing newline); throws if the plan breaks the schema. */
export function serializePlan(plan: Plan): string {
  const v = validate();
  if (!v(plan)) throw new Error(`the planner produced an invalid plan: ${describeError(v.errors?.[0])}`);
  return `${JSON.stringify(plan, null, 2)}\n`;
}

export type ReadPlanResult = { readonly plan: Plan; readonly diagnostic?: undefined } | { readonly plan?: undefined; readonly diagnostic: Diagnostic };

export function parsePlan(text: string, file: string): ReadPlanResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(reason);
    return {
      diagnostic: createDiagnostic(lowerDiagnostics.planNotJson, spanAt(text, file, at === null ? 0 : Number(at[1])), { reason }, {
        help: 'write plans with `mimo plan -o plan.json`; a plan file holds one JSON object',
      }),
    };
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const head = data as { format?: unknown; version?: unknown };
    if (head.format === PLAN_FORMAT && head.version !== PLAN_VERSION) {
      return {
        diagnostic: createDiagnostic(lowerDiagnostics.planVersionMismatch, spanAt(text, file, locatePointer(text, '/version') ?? 0), { found: String(head.version), expected: PLAN_VERSION }, {
          help: 'write the plan again with this version of mimo (`mimo plan <spec> -o plan.json`)',
        }),
      };
    }
  }
  const v = validate();
  if (!v(data)) {
    const error = v.errors?.[0];
    const pointer = error?.instancePath ?? '';
    return {
      diagnostic: createDiagnostic(lowerDiagnostics.planInvalidFile, spanAt(text, file, locatePointer(text, pointer) ?? 0), { reason: describeError(error) }, {
        help: 'plans are written by `mimo plan -o plan.json`; the schema is compiler/plan/plan.schema.json (`mimo plan --schema`)',
      }),
    };
  }
  const plan = data as Plan;
  const problem = referenceProblem(plan);
  if (problem !== undefined) {
    return {
      diagnostic: createDiagnostic(lowerDiagnostics.planInvalidFile, spanAt(text, file, locatePointer(text, problem.pointer) ?? 0), { reason: problem.reason }, {
        help: 'plans are written by `mimo plan -o plan.json`; an edited plan must keep every operand inside its buffer',
      }),
    };
  }
  return { plan };
}

function describeError(error: ErrorObject | undefined): string {
  if (error === undefined) return 'it does not match the plan schema';
  const where = error.instancePath === '' ? 'the plan' : `\`${error.instancePath}\``;
  const extra = error.keyword === 'additionalProperties' ? ` (\`${String((error.params as { additionalProperty?: string }).additionalProperty)}\`)` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** Operands must name existing buffers and stay inside them. */
function referenceProblem(plan: Plan): { pointer: string; reason: string } | undefined {
  const check = (o: Operand, pointer: string): { pointer: string; reason: string } | undefined => {
    const b = plan.buffers[o.buffer];
    if (b === undefined) return { pointer: `${pointer}/buffer`, reason: `\`${pointer}/buffer\` names buffer ${o.buffer}, but the plan has ${plan.buffers.length}` };
    if (product(o.shape) !== product(o.view.shape)) return { pointer: `${pointer}/view`, reason: `\`${pointer}/view\` does not have the operand's element count` };
    if (b.kind !== 'constant' && viewExtent(o.view) > product(b.shape)) return { pointer: `${pointer}/view`, reason: `\`${pointer}/view\` reaches past the end of buffer ${o.buffer}` };
    return undefined;
  };
  const lists: [string, readonly { inputs: readonly Operand[]; outputs: readonly Operand[] }[]][] = [
    ['prepare', plan.prepare],
    ['kernels', plan.kernels],
  ];
  for (const [name, kernels] of lists) {
    for (const [k, kernel] of kernels.entries()) {
      for (const side of ['inputs', 'outputs'] as const) {
        for (const [i, o] of kernel[side].entries()) {
          const p = check(o, `/${name}/${k}/${side}/${i}`);
          if (p !== undefined) return p;
        }
      }
    }
  }
  for (const [i, input] of plan.inputs.entries()) {
    const p = check(input.operand, `/inputs/${i}/operand`);
    if (p !== undefined) return p;
  }
  for (const [i, output] of plan.outputs.entries()) {
    const p = check(output.operand, `/outputs/${i}/operand`);
    if (p !== undefined) return p;
  }
  return undefined;
}

function spanAt(text: string, file: string, offset: number): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart + 1;
  return { file, offset, line, column, endOffset: offset, endLine: line, endColumn: column };
}

/**
 * The text offset of the value a JSON pointer (`/kernels/3/params`) names, by a small scan of
 * the text (strings, numbers, literals, objects, arrays); undefined when it is not there.
 */
export function locatePointer(text: string, pointer: string): number | undefined {
  const path = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let pos = 0;
  const ws = (): void => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const skipString = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const skipValue = (): void => {
    ws();
    const c = text[pos];
    if (c === '"') {
      skipString();
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      pos++;
      ws();
      while (text[pos] !== close && pos < text.length) {
        if (c === '{') {
          skipString();
          ws();
          pos++;
        }
        skipValue();
        ws();
        if (text[pos] === ',') pos++;
        ws();
      }
      pos++;
    } else {
      while (pos < text.length && !/[,\]}\s]/.test(text[pos])) pos++;
    }
  };
  ws();
  for (const key of path) {
    const c = text[pos];
    if (c !== '{' && c !== '[') return undefined;
    pos++;
    let index = 0;
    let found = false;
    ws();
    while (pos < text.length && text[pos] !== '}' && text[pos] !== ']') {
      let name = String(index);
      if (c === '{') {
        name = skipString();
        ws();
        pos++;
        ws();
      }
      if (name === key) {
        found = true;
        break;
      }
      skipValue();
      ws();
      if (text[pos] === ',') pos++;
      ws();
      index++;
    }
    if (!found) return undefined;
    ws();
  }
  return pos;
}
