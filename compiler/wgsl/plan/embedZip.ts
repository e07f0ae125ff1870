/**
 * Plan `embed_zip` (and the unfused `zip` op) → the zipper scatter, plus a host step that builds
 * its routing table from the token ids before each forward (runtime/webgpu/zipRoutes.ts).
 */
import type { Operand, PlanKernelOf } from '../../plan/types.js';
import type { ZipPlaceholder } from '../../ir/types.js';
import { zipScatterKernel, type ZipScatterDesc } from '../gather.js';
import type { TensorArg } from '../types.js';
import type { LowerContext, Lowered } from './context.js';
import { PlanLoweringError } from './operands.js';

/** Adds the routing table buffer and its host step for the ids operand; returns the table's argument. */
export function routesFor(ctx: LowerContext, ids: Operand, placeholders: readonly ZipPlaceholder[], label: string): TensorArg {
  const input = ctx.plan.inputs.find((i) => i.operand.buffer === ids.buffer);
  if (input === undefined) throw new PlanLoweringError(`${label}: the zipper's token ids are not a graph input, so the host cannot route them`);
  const [batch, seq] = ids.shape;
  const buffer = ctx.buffers.add({ kind: 'state', name: `${label}.routes`, bytes: batch * seq * 2 * 4 });
  const shape = [batch, seq, 2];
  ctx.hostSteps.push({
    kind: 'zip_routes',
    ids: input.name,
    placeholders: placeholders.map((p) => ({ sense: p.sense, tokenId: p.tokenId, tokens: p.tokens })),
    target: { name: `${label}.routes`, buffer, dtype: 'i32', shape, view: { shape, strides: [seq * 2, 2, 1], offset: 0 } },
  });
  return { buffer, shape, dtype: 'i32', offset: 0 };
}

export function lowerEmbedZip(k: PlanKernelOf<'embed_zip'>, ctx: LowerContext): Lowered {
  const [table, ids, ...senses] = k.inputs;
  const desc: ZipScatterDesc = {
    label: k.label,
    base: { kind: 'table', table: ctx.buffers.arg(table) },
    routes: routesFor(ctx, ids, k.params.placeholders, `kernel${k.id}`),
    senses: senses.map((s) => ctx.buffers.arg(s)),
    out: ctx.buffers.arg(k.outputs[0]),
  };
  return [zipScatterKernel(desc)];
}
