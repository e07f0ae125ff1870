import { entry } from './entry.js';

export const lowerDiagnostics = {
  // MIMO400x: graph IR construction (compiler/ir).
  irPositionTableMismatch: entry(
    'MIMO4001',
    'ir-position-table-mismatch',
    'error',
    'the `{sense}` encoder has positions for a {table}x{table} patch grid, but a {size}px input gives {grid}x{grid}',
    'A ViT input size differs from the image size its position table was trained for; interpolating positions is not supported.',
  ),
  irPoolWithClassToken: entry(
    'MIMO4002',
    'ir-pool-with-class-token',
    'error',
    'the `{sense}` encoder pools its patch grid but keeps the class token',
    'Average pooling needs a square patch grid, so the class token must be dropped first.',
  ),
  irTokenCountMismatch: entry(
    'MIMO4003',
    'ir-token-count-mismatch',
    'error',
    'the `{sense}` encoder computes {actual} tokens, but the checker counted {expected}',
    'The IR and the checker disagree about a sense token count (a compiler bug).',
  ),
  irFamilyLayout: entry(
    'MIMO4004',
    'ir-unsupported-layout',
    'error',
    'the `{family}` decoder layout has no `{feature}`',
    'A decoder family combined with a feature its checkpoint layout cannot express.',
  ),
  irInputKindMismatch: entry(
    'MIMO4005',
    'ir-input-kind-mismatch',
    'error',
    'the `{sense}` encoder `{family}` cannot read {kind} input',
    'A sense pairs an encoder with an input kind it does not take (ViTs read images or video, Whisper and BEATs audio).',
  ),
  // MIMO402x: code generation (compiler/codegen).
  codegenUnsupported: entry(
    'MIMO4020',
    'codegen-unsupported',
    'error',
    'cannot generate runnable code for {what}: the runtime has no {feature}',
    'The model uses a combination the runtime blocks do not implement, so no TypeScript module is written for it.',
  ),
  // MIMO410x: execution plans (compiler/plan).
  planSequenceOverContext: entry(
    'MIMO4101',
    'plan-sequence-over-context',
    'error',
    'a plan for {text} text tokens needs {total} positions{step} but the decoder context is {context}',
    'The plan\'s prompt (text plus every sense\'s tokens, plus the new token of a decode step) must fit the decoder\'s context.',
  ),
  planInvalidFile: entry(
    'MIMO4102',
    'plan-invalid-file',
    'error',
    'not a valid mimo plan: {reason}',
    'A plan.json that does not match the plan JSON Schema (docs: compiler/plan/plan.schema.json).',
  ),
  planVersionMismatch: entry(
    'MIMO4103',
    'plan-version-mismatch',
    'error',
    'the plan has format version {found}, this mimo reads version {expected}',
    'A plan.json written by another version of mimo.',
  ),
  planNotJson: entry(
    'MIMO4104',
    'plan-not-json',
    'error',
    'the plan file is not JSON: {reason}',
    'A plan.json that does not parse as JSON.',
  ),
} as const;
