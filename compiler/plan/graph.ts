/**
 * The kernel graph the passes rewrite: values with concrete shapes, and kernels that read and
 * write them. Lowering makes one `op` kernel per IR op; each fusion pass replaces groups of
 * kernels by one kernel of a fused kind. Values that are views of other values (folded reshapes,
 * transposes, slices, broadcasts) are `alias` values: no kernel computes them.
 */
import type { InputRole, IrDType } from '../ir/types.js';
import type { KernelKind, KernelParamsByKind, View } from './types.js';
import { applyViewOp, contiguousView, type ViewOp } from './view.js';

export type ValueDef =
  | { readonly kind: 'input'; readonly name: string; readonly role: InputRole | 'past_key' | 'past_value' }
  | { readonly kind: 'weight'; readonly name: string }
  | { readonly kind: 'constant'; readonly value: number }
  /** Decode: a layer's KV cache, persistent; `past` is a view of its first rows. */
  | { readonly kind: 'cache'; readonly layer: number; readonly tensor: 'key' | 'value' }
  /** Computed by a kernel (`kernel` is −1 until the kernel is added). */
  | { readonly kind: 'kernel'; readonly kernel: number }
  | { readonly kind: 'alias'; readonly of: number; readonly op: ViewOp };

export interface Value {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: IrDType;
  def: ValueDef;
  /** A readable name for buffers (`layers.0.self_attn.q_proj`). */
  readonly name: string;
  /** For kernel outputs stored inside another value's storage (the KV cache): that value and the view there. */
  placement?: { readonly into: number; readonly view: View };
}

export type Stage = 'prepare' | 'forward';

export interface Kernel<K extends KernelKind = KernelKind> {
  readonly id: number;
  readonly kind: K;
  inputs: number[];
  /** Operand roles, parallel to `inputs` (documentation in the plan). */
  roles: string[];
  outputs: number[];
  params: KernelParamsByKind[K];
  /** IR node ids covered. */
  ir: number[];
  scope: string;
  label: string;
  stage: Stage;
  /** Execution order key; passes set it, `normalize` sorts topologically by it. */
  order: number;
}

export type AnyKernel = { [K in KernelKind]: Kernel<K> }[KernelKind];

export interface GraphOutputRef {
  readonly name: string;
  value: number;
}

interface UseIndex {
  readonly version: number;
  readonly readers: Map<number, AnyKernel[]>;
  readonly aliases: Map<number, number[]>;
  readonly uses: Map<number, number>;
  readonly placed: Set<number>;
}

export class KernelGraph {
  readonly values: Value[] = [];
  kernels: AnyKernel[] = [];
  private nextKernel = 0;
  private readonly byId = new Map<number, AnyKernel>();
  /**
   * Bumped by every structural change (kernels added or removed, uses replaced, values added).
   * Passes that edit a kernel's operands in place always end the edit with one of those calls.
   */
  private version = 0;
  private index: UseIndex | undefined;
  outputs: GraphOutputRef[] = [];
  /** Graph inputs in order (value ids), including decode's past caches. */
  inputs: { readonly name: string; readonly role: InputRole | 'past_key' | 'past_value'; readonly value: number }[] = [];

  addValue(shape: readonly number[], dtype: IrDType, def: ValueDef, name: string): number {
    const id = this.values.length;
    this.values.push({ id, shape: [...shape], dtype, def, name });
    this.version++;
    return id;
  }

  /** A value a kernel about to be added will compute. */
  addResult(shape: readonly number[], dtype: IrDType, name: string): number {
    return this.addValue(shape, dtype, { kind: 'kernel', kernel: -1 }, name);
  }

  value(id: number): Value {
    const v = this.values[id];
    if (v === undefined) throw new Error(`no value ${id}`);
    return v;
  }

  /** Adds a kernel and points its outputs' definitions at it. */
  addKernel<K extends KernelKind>(spec: Omit<Kernel<K>, 'id'>): Kernel<K> {
    const kernel = { ...spec, id: this.nextKernel++ } as Kernel<K>;
    this.kernels.push(kernel as unknown as AnyKernel);
    this.byId.set(kernel.id, kernel as unknown as AnyKernel);
    this.version++;
    for (const out of kernel.outputs) this.values[out].def = { kind: 'kernel', kernel: kernel.id };
    return kernel;
  }

  kernel(id: number): AnyKernel {
    const k = this.byId.get(id);
    if (k === undefined) throw new Error(`no kernel ${id}`);
    return k;
  }

  removeKernels(ids: Iterable<number>): void {
    const drop = new Set(ids);
    this.kernels = this.kernels.filter((k) => !drop.has(k.id));
    for (const id of drop) this.byId.delete(id);
    this.version++;
  }

  /** The kernel computing a value (not through aliases), or undefined for sources. */
  producer(valueId: number): AnyKernel | undefined {
    const def = this.value(valueId).def;
    return def.kind === 'kernel' ? this.byId.get(def.kernel) : undefined;
  }

  private uses_(): UseIndex {
    if (this.index !== undefined && this.index.version === this.version) return this.index;
    const readers = new Map<number, AnyKernel[]>();
    const uses = new Map<number, number>();
    const aliases = new Map<number, number[]>();
    const placed = new Set<number>();
    const bump = (v: number): void => {
      uses.set(v, (uses.get(v) ?? 0) + 1);
    };
    for (const k of this.kernels) {
      for (const i of k.inputs) {
        bump(i);
        const list = readers.get(i);
        if (list === undefined) readers.set(i, [k]);
        else if (list[list.length - 1] !== k) list.push(k);
      }
    }
    for (const o of this.outputs) bump(o.value);
    for (const v of this.values) {
      if (v.def.kind === 'alias') aliases.set(v.def.of, [...(aliases.get(v.def.of) ?? []), v.id]);
      if (v.placement !== undefined) placed.add(v.placement.into);
    }
    // An alias counts as a use of its source only when something uses the alias.
    const live = new Map<number, boolean>();
    const isLive = (v: number): boolean => {
      const known = live.get(v);
      if (known !== undefined) return known;
      live.set(v, false);
      const result = (uses.get(v) ?? 0) > 0 || (aliases.get(v) ?? []).some(isLive);
      live.set(v, result);
      return result;
    };
    const aliasUses = new Map<number, number>();
    for (const [source, list] of aliases) aliasUses.set(source, list.filter(isLive).length);
    for (const [source, n] of aliasUses) if (n > 0) uses.set(source, (uses.get(source) ?? 0) + n);
    for (const [source, list] of aliases) aliases.set(source, list.filter((a) => live.get(a) === true));
    this.index = { version: this.version, readers, aliases, uses, placed };
    return this.index;
  }

  /** Marks the graph changed after an edit the graph cannot see (a value's definition rewritten in place). */
  touch(): void {
    this.version++;
  }

  /** Follows aliases to the stored value. */
  root(valueId: number): number {
    let v = this.value(valueId);
    while (v.def.kind === 'alias') v = this.value(v.def.of);
    return v.id;
  }

  /** Kernels reading a value directly (not through an alias), with multiplicity. */
  readers(valueId: number): AnyKernel[] {
    return [...(this.uses_().readers.get(valueId) ?? [])];
  }

  /** Alias values defined directly on this value. */
  aliasesOf(valueId: number): number[] {
    return [...(this.uses_().aliases.get(valueId) ?? [])];
  }

  isOutput(valueId: number): boolean {
    return this.outputs.some((o) => o.value === valueId);
  }

  /**
   * How many places use a value: kernel operand slots, aliases defined on it, and graph outputs.
   * A fusion may swallow a value only when this is 1 (its one consumer is in the fused group).
   */
  uses(valueId: number): number {
    return this.uses_().uses.get(valueId) ?? 0;
  }

  /** Every kernel that reads the value or any alias of it. */
  consumersDeep(valueId: number): AnyKernel[] {
    const out: AnyKernel[] = [];
    const visit = (v: number): void => {
      for (const k of this.readers(v)) if (!out.includes(k)) out.push(k);
      for (const a of this.aliasesOf(v)) visit(a);
    };
    visit(valueId);
    return out;
  }

  /** Replaces every use of `from` (kernel operands, aliases, outputs) by `to`. */
  replaceUses(from: number, to: number): void {
    for (const k of this.kernels) k.inputs = k.inputs.map((i) => (i === from ? to : i));
    for (const v of this.values) if (v.def.kind === 'alias' && v.def.of === from) v.def = { ...v.def, of: to };
    for (const o of this.outputs) if (o.value === from) o.value = to;
    this.version++;
  }

  /**
   * The storage view of a value: a root's own contiguous layout (or its placement), composed with
   * every alias op on the way. Undefined when strides cannot express the chain.
   */
  viewOf(valueId: number): { root: number; view: View } | undefined {
    const v = this.value(valueId);
    if (v.def.kind === 'alias') {
      const base = this.viewOf(v.def.of);
      if (base === undefined) return undefined;
      const view = applyViewOp(base.view, this.value(v.def.of).shape, v.def.op);
      return view === undefined ? undefined : { root: base.root, view };
    }
    if (v.placement !== undefined) {
      const into = this.viewOf(v.placement.into);
      if (into === undefined) return undefined;
      return { root: into.root, view: { ...v.placement.view, offset: v.placement.view.offset + into.view.offset } };
    }
    return { root: valueId, view: contiguousView(v.shape) };
  }

  /** Kernels in execution order for a stage. */
  stageKernels(stage: Stage): AnyKernel[] {
    return this.kernels.filter((k) => k.stage === stage);
  }

  /**
   * Drops kernels whose outputs nobody uses (dead after fusion), then sorts the kernels
   * topologically, breaking ties by `order` so passes keep the lowering's schedule.
   */
  normalize(): void {
    for (;;) {
      const dead = this.kernels.filter((k) => k.outputs.every((o) => this.uses(o) === 0 && !this.placedInto(o)));
      if (dead.length === 0) break;
      this.removeKernels(dead.map((k) => k.id));
    }
    const producerOf = new Map<number, AnyKernel>();
    for (const k of this.kernels) for (const o of k.outputs) producerOf.set(o, k);
    const deps = new Map<number, Set<number>>();
    for (const k of this.kernels) {
      const set = new Set<number>();
      const addDep = (value: number): void => {
        const r = this.root(value);
        const p = producerOf.get(r);
        if (p !== undefined && p.id !== k.id) set.add(p.id);
        const placement = this.value(r).placement;
        if (placement !== undefined) addDep(placement.into);
      };
      for (const i of k.inputs) addDep(i);
      deps.set(k.id, set);
    }
    const done = new Set<number>();
    const sorted: AnyKernel[] = [];
    const pending = [...this.kernels].sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || a.order - b.order || a.id - b.id);
    while (pending.length > 0) {
      const idx = pending.findIndex((k) => [...(deps.get(k.id) ?? [])].every((d) => done.has(d)));
      if (idx < 0) throw new Error(`kernel graph has a cycle among ${pending.map((k) => k.label).join(', ')}`);
      const [k] = pending.splice(idx, 1);
      done.add(k.id);
      sorted.push(k);
    }
    this.kernels = sorted;
    sorted.forEach((k, i) => (k.order = i));
    this.version++;
  }

  private placedInto(valueId: number): boolean {
    return this.uses_().placed.has(valueId);
  }
}

function stageRank(stage: Stage): number {
  return stage === 'prepare' ? 0 : 1;
}

/** The common module path of several scopes (`a.b.c`, `a.b.d` → `a.b`). */
export function commonScope(scopes: readonly string[]): string {
  if (scopes.length === 0) return '';
  let parts = scopes[0].split('.');
  for (const s of scopes.slice(1)) {
    const other = s.split('.');
    let n = 0;
    while (n < parts.length && n < other.length && parts[n] === other[n]) n++;
    parts = parts.slice(0, n);
  }
  return parts.join('.');
}
