/**
 * From the fused kernel graph to the plan object: buffers (one per stored value), operands as
 * buffer + strided view, the memory plan, per-kernel costs, totals and the summary. The result is
 * plain data in a fixed key order, so `JSON.stringify` of it is deterministic.
 */
import type { IrDType } from '../ir/types.js';
import { type AnyResolvedKernel, DTYPE_BYTES, kernelClass, kernelCost } from './cost.js';
import type { DeviceProfile } from './devices.js';
import type { AnyKernel, KernelGraph } from './graph.js';
import { type ArenaBuffer, ARENA_ALIGNMENT, type InPlaceCandidate, planMemory } from './memory.js';
import { describeProgram } from './program.js';
import type {
  BufferKind,
  ClassTotals,
  KernelClass,
  Operand,
  Plan,
  PlanBindings,
  PlanBuffer,
  PlanKernel,
  PlanMode,
  PassRecord,
} from './types.js';
import { PLAN_FORMAT, PLAN_VERSION } from './types.js';
import { isContiguous, product, viewsEqual } from './view.js';

export interface UnfusedTotals {
  readonly ops: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface EmitInput {
  readonly graph: KernelGraph;
  readonly model: string;
  readonly mode: PlanMode;
  readonly dtype: IrDType;
  readonly bindings: PlanBindings;
  readonly device: DeviceProfile;
  readonly passes: readonly PassRecord[];
  readonly unfused: UnfusedTotals;
}

/** Buffers and resolved kernels of a kernel graph (no memory plan, no costs yet). */
export interface ResolvedGraph {
  readonly buffers: PlanBuffer[];
  readonly prepare: ResolvedKernelEntry[];
  readonly kernels: ResolvedKernelEntry[];
  readonly inputs: Plan['inputs'][number][];
  readonly outputs: Plan['outputs'][number][];
}

export interface ResolvedKernelEntry {
  readonly source: AnyKernel;
  readonly resolved: AnyResolvedKernel;
}

export function resolveGraph(g: KernelGraph): ResolvedGraph {
  const buffers: PlanBuffer[] = [];
  const bufferOf = new Map<number, number>();
  const outputRoots = new Set(g.outputs.map((o) => g.viewOf(o.value)?.root));
  const operand = (value: number, role: string): Operand => {
    const located = g.viewOf(value);
    if (located === undefined) throw new Error(`value ${g.value(value).name} has no strided view`);
    let id = bufferOf.get(located.root);
    if (id === undefined) {
      id = buffers.length;
      bufferOf.set(located.root, id);
      buffers.push(makeBuffer(g, located.root, id, outputRoots.has(located.root)));
    }
    return { buffer: id, shape: [...g.value(value).shape], view: located.view, role };
  };
  const inputs = g.inputs.map((i) => ({ name: i.name, role: i.role, operand: operand(i.value, i.role) }));
  const resolve = (k: AnyKernel): ResolvedKernelEntry => ({
    source: k,
    resolved: {
      kind: k.kind,
      params: k.params,
      inputs: k.inputs.map((v, i) => operand(v, k.roles[i] ?? `x${i}`)),
      outputs: k.outputs.map((v, i) => operand(v, `out${i}`)),
    } as AnyResolvedKernel,
  });
  const prepare = g.stageKernels('prepare').map(resolve);
  const kernels = g.stageKernels('forward').map(resolve);
  const outputs = g.outputs.map((o) => ({ name: o.name, operand: operand(o.value, o.name) }));
  return { buffers, prepare, kernels, inputs, outputs };
}

function makeBuffer(g: KernelGraph, root: number, id: number, isOutput: boolean): PlanBuffer {
  const v = g.value(root);
  const bytes = product(v.shape) * DTYPE_BYTES[v.dtype];
  const base = { id, name: v.name, dtype: v.dtype, shape: [...v.shape], bytes };
  switch (v.def.kind) {
    case 'input':
      return { ...base, kind: 'input', role: v.def.role === 'past_key' || v.def.role === 'past_value' ? undefined : v.def.role };
    case 'weight':
      return { ...base, kind: 'weight', weight: v.def.name };
    case 'constant':
      return { ...base, kind: 'constant', bytes: 0, value: v.def.value };
    case 'cache':
      return { ...base, kind: 'kv_cache', cache: { layer: v.def.layer, tensor: v.def.tensor } };
    case 'kernel': {
      const producer = g.producer(root);
      const kind: BufferKind = producer?.stage === 'prepare' ? 'prepared' : isOutput ? 'output' : 'activation';
      return { ...base, kind };
    }
    case 'alias':
      throw new Error('an alias is never a root');
  }
}

const ARENA_KINDS: ReadonlySet<BufferKind> = new Set(['input', 'activation', 'output']);

/** Operand pairs (input index, output index) a kind may run in place: the output element is written after the same element of the input is read. */
function inPlacePairs(k: AnyResolvedKernel): [number, number][] {
  const pairs: [number, number][] = [];
  const loadsOf = (program: readonly { op: string; input?: number }[]): number[] => program.filter((i) => i.op === 'load').map((i) => i.input as number);
  switch (k.kind) {
    case 'elementwise':
      k.inputs.forEach((_, i) => pairs.push([i, 0]));
      break;
    case 'matmul': {
      // A load read by two outputs cannot be overwritten by the first one written.
      const readers = new Map<number, number>();
      for (const o of k.params.outputs) for (const i of new Set(loadsOf(o.program))) readers.set(i, (readers.get(i) ?? 0) + 1);
      k.params.outputs.forEach((o, j) => {
        if (o.rope === null) for (const i of loadsOf(o.program)) if (readers.get(i) === 1) pairs.push([i, j]);
      });
      break;
    }
    case 'conv':
      for (const i of loadsOf(k.params.program)) pairs.push([i, 0]);
      break;
    case 'norm':
      for (const i of loadsOf(k.params.prologue)) k.outputs.forEach((_, j) => pairs.push([i, j]));
      break;
    case 'op':
      if (['add', 'sub', 'mul', 'div', 'activation'].includes(k.params.op)) k.inputs.forEach((_, i) => pairs.push([i, 0]));
      break;
    default:
      break;
  }
  return pairs;
}

function inPlaceCandidates(kernels: readonly ResolvedKernelEntry[], buffers: readonly PlanBuffer[]): InPlaceCandidate[] {
  const out: InPlaceCandidate[] = [];
  kernels.forEach(({ resolved: k }, t) => {
    for (const [i, j] of inPlacePairs(k)) {
      const a = k.inputs[i];
      const o = k.outputs[j];
      if (a === undefined || o === undefined) continue;
      const ba = buffers[a.buffer];
      const bo = buffers[o.buffer];
      if (ba.kind !== 'activation' || !ARENA_KINDS.has(bo.kind) || ba.dtype !== bo.dtype || ba.bytes !== bo.bytes) continue;
      if (a.shape.join() !== o.shape.join() || !viewsEqual(a.view, o.view) || !isContiguous(a.view) || a.view.offset !== 0) continue;
      // The input must be this operand only: a matmul reading the same buffer as A would see its rows overwritten.
      if (k.inputs.filter((x) => x.buffer === a.buffer).length !== 1) continue;
      out.push({ kernel: t, input: a.buffer, output: o.buffer });
    }
  });
  return out;
}

/** Liveness of the arena buffers over the forward kernels. */
function arenaBuffers(resolved: ResolvedGraph): ArenaBuffer[] {
  const count = resolved.kernels.length;
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  resolved.kernels.forEach(({ resolved: k }, t) => {
    for (const o of k.outputs) if (!first.has(o.buffer)) first.set(o.buffer, t);
    for (const i of k.inputs) last.set(i.buffer, t);
  });
  return resolved.buffers
    .filter((b) => ARENA_KINDS.has(b.kind))
    .map((b) => {
      const start = b.kind === 'input' ? -1 : (first.get(b.id) ?? -1);
      const end = b.kind === 'output' ? count : Math.max(start, last.get(b.id) ?? start);
      return { id: b.id, bytes: b.bytes, first: start, last: end };
    });
}

export function describeKernel(k: AnyResolvedKernel): string {
  switch (k.kind) {
    case 'matmul': {
      const p = k.params;
      const parts = p.parts.length > 1 ? ` [${p.parts.map((x) => shortName(x.name)).join('|')}]` : '';
      const pro = p.prologue !== null ? `${p.prologue.fn}→` : '';
      const epi = p.outputs
        .map((o) => {
          const text = describeProgram(o.program);
          return `${/^acc\d+$/.test(text) ? '' : text}${o.rope !== null ? '+rope' : ''}`;
        })
        .filter((t) => t !== '');
      return `${pro}matmul${parts}${epi.length > 0 ? ` → ${epi.join(', ')}` : ''}`;
    }
    case 'conv': {
      const text = describeProgram(k.params.program);
      return `conv${k.params.dims}d${text === 'acc0' ? '' : ` → ${text}`}`;
    }
    case 'attention': {
      const p = k.params;
      return `flash_attention h${p.heads}${p.group > 1 ? `/kv${p.kvHeads}` : ''}${p.causal !== null ? ' causal' : ''}${p.bias !== null ? ' +bias' : ''}`;
    }
    case 'norm': {
      const text = describeProgram(k.params.prologue);
      return `${text === 'in0' ? '' : `${text} → `}${k.params.fn}${k.params.writeSum ? ' (+sum)' : ''}`;
    }
    case 'elementwise':
      return `elementwise ${describeProgram(k.params.program)}`;
    case 'reduce': {
      const text = describeProgram(k.params.program);
      return `reduce_sum[${k.params.axes.join(',')}]${text === 'acc0' ? '' : ` → ${text}`}`;
    }
    case 'embed_zip':
      return `embed_zip (${k.params.placeholders.map((p) => p.sense).join(', ')})`;
    case 'op':
      return k.params.op;
  }
}

function shortName(name: string): string {
  const parts = name.split('.');
  return parts.length >= 2 ? parts[parts.length - 2] : name;
}

const CLASSES: readonly KernelClass[] = ['matmul', 'attention', 'conv', 'norm', 'elementwise', 'reduction', 'data_movement'];

export function emitPlan(input: EmitInput): Plan {
  const resolved = resolveGraph(input.graph);
  const arena = arenaBuffers(resolved);
  const memory = planMemory(arena, inPlaceCandidates(resolved.kernels, resolved.buffers));
  const buffers: PlanBuffer[] = resolved.buffers.map((b) => {
    if (!ARENA_KINDS.has(b.kind)) return b;
    const inPlaceOf = memory.inPlaceOf.get(b.id);
    return { ...b, offset: memory.offsets.get(b.id) as number, live: memory.live.get(b.id) as readonly [number, number], ...(inPlaceOf === undefined ? {} : { inPlaceOf }) };
  });
  const toPlanKernel = (entry: ResolvedKernelEntry, id: number): PlanKernel => {
    const k = entry.resolved;
    return {
      id,
      kind: k.kind,
      class: kernelClass(k),
      label: describeKernel(k),
      scope: entry.source.scope,
      inputs: k.inputs,
      outputs: k.outputs,
      params: k.params,
      ir: entry.source.ir,
      cost: kernelCost(k, buffers, input.device),
    } as PlanKernel;
  };
  const prepare = resolved.prepare.map(toPlanKernel);
  const kernels = resolved.kernels.map(toPlanKernel);
  const byClass = Object.fromEntries(
    CLASSES.map((c) => {
      const of = kernels.filter((k) => k.class === c);
      const totals: ClassTotals = {
        kernels: of.length,
        flops: of.reduce((s, k) => s + k.cost.flops, 0),
        bytes: of.reduce((s, k) => s + k.cost.bytes, 0),
        ms: of.reduce((s, k) => s + k.cost.ms, 0),
      };
      return [c, totals];
    }),
  ) as Record<KernelClass, ClassTotals>;
  const sumBytes = (kinds: readonly BufferKind[]): number => buffers.filter((b) => kinds.includes(b.kind)).reduce((s, b) => s + b.bytes, 0);
  const totalMs = kernels.reduce((s, k) => s + k.cost.ms, 0);
  const memorySummary = {
    arenaBytes: memory.arenaBytes,
    naiveBytes: memory.naiveBytes,
    lowerBoundBytes: memory.lowerBoundBytes,
    alignment: ARENA_ALIGNMENT,
    inPlace: memory.inPlaceOf.size,
    weightBytes: sumBytes(['weight']),
    preparedBytes: sumBytes(['prepared']),
    kvCacheBytes: sumBytes(['kv_cache']),
  };
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    model: input.model,
    mode: input.mode,
    dtype: input.dtype,
    bindings: input.bindings,
    target: input.device.id,
    passes: input.passes,
    buffers,
    inputs: resolved.inputs,
    outputs: resolved.outputs,
    prepare,
    kernels,
    memory: memorySummary,
    cost: { target: input.device.id, device: input.device.name, totalMs, unfusedMs: input.unfused.ms, byClass },
    summary: {
      ops_unfused: input.unfused.ops,
      kernels: kernels.length,
      prepare_kernels: prepare.length,
      bytes_unfused: input.unfused.bytes,
      bytes_fused: kernels.reduce((s, k) => s + k.cost.bytes, 0),
      flops: kernels.reduce((s, k) => s + k.cost.flops, 0),
      arena_bytes: memory.arenaBytes,
      naive_bytes: memory.naiveBytes,
      lower_bound_bytes: memory.lowerBoundBytes,
      weight_bytes: memorySummary.weightBytes,
      kv_cache_bytes: memorySummary.kvCacheBytes,
      estimated_ms: totalMs,
      unfused_estimated_ms: input.unfused.ms,
    },
  };
}

/** Ops, bytes and time of the unfused graph (every IR op its own kernel, run by a framework). */
export function unfusedTotals(g: KernelGraph, ops: number, device: DeviceProfile): UnfusedTotals {
  const resolved = resolveGraph(g);
  let bytes = 0;
  let ms = 0;
  for (const { resolved: k } of resolved.kernels) {
    const c = kernelCost(k, resolved.buffers, device);
    bytes += c.bytes;
    ms += c.ms;
  }
  return { ops, bytes, ms };
}
