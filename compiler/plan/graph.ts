/**
 * The kernel graph the passes rewrite: values with concrete shapes, and kernels that read and
 * write them. Lowering makes one `op` kernel per IR op; each fusion pass replaces groups of
 * kernels by one kernel of a fused kind. Values that are views of other values (folded reshapes,
 * transposes, slices, broadcasts) are `alias` values: no kernel computes them.
 *
 * Passes change the graph only through the methods here (`addKernel`, `removeKernels`,
 * `setInputs`, `setOutput`, `setDef`, `replaceUses`), which keep the use counts current, so
 * `uses`, `readers` and `producer` are constant-time on graphs of thousands of kernels.
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
  readonly def: ValueDef;
  /** A readable name for buffers (`lm.layers.0.self_attn.q_proj:matmul%301`). */
  readonly name: string;
  /** For kernel outputs stored inside another value's storage (the KV cache): that value and the view there. */
  readonly placement?: { readonly into: number; readonly view: View };
}

export type Stage = 'prepare' | 'forward';

export interface Kernel<K extends KernelKind = KernelKind> {
  readonly id: number;
  readonly kind: K;
  /** Read-only outside the graph: change with `setInputs`. */
  readonly inputs: readonly number[];
  /** Operand roles, parallel to `inputs` (documentation in the plan). */
  readonly roles: readonly string[];
  /** Read-only outside the graph: change with `setOutput`. */
  readonly outputs: readonly number[];
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

type MutableKernel = { -readonly [P in keyof AnyKernel]: AnyKernel[P] };
type MutableValue = { -readonly [P in keyof Value]: Value[P] };

export interface GraphOutputRef {
  readonly name: string;
  readonly value: number;
}

export interface GraphInputRef {
  readonly name: string;
  readonly role: InputRole | 'past_key' | 'past_value';
  readonly value: number;
}

export class KernelGraph {
  private readonly values_: MutableValue[] = [];
  private kernels_: AnyKernel[] = [];
  private nextKernel = 0;
  private readonly byId = new Map<number, AnyKernel>();
  /** Operand slots and graph outputs reading each value directly. */
  private readonly direct = new Map<number, number>();
  /** Kernels reading each value directly (kernel id → operand slots), in insertion order. */
  private readonly readersOf = new Map<number, Map<number, number>>();
  /** Alias values defined on each value. */
  private readonly aliasChildren = new Map<number, Set<number>>();
  private readonly placedInto = new Set<number>();
  private outputs_: GraphOutputRef[] = [];
  /** Graph inputs in order, including decode's past caches. */
  readonly inputs: GraphInputRef[] = [];

  get values(): readonly Value[] {
    return this.values_;
  }

  get kernels(): readonly AnyKernel[] {
    return this.kernels_;
  }

  get outputs(): readonly GraphOutputRef[] {
    return this.outputs_;
  }

  addValue(shape: readonly number[], dtype: IrDType, def: ValueDef, name: string): number {
    const id = this.values_.length;
    this.values_.push({ id, shape: [...shape], dtype, def, name });
    if (def.kind === 'alias') this.link(def.of, id);
    return id;
  }

  /** A value a kernel about to be added will compute. */
  addResult(shape: readonly number[], dtype: IrDType, name: string): number {
    return this.addValue(shape, dtype, { kind: 'kernel', kernel: -1 }, name);
  }

  value(id: number): Value {
    const v = this.values_[id];
    if (v === undefined) throw new Error(`no value ${id}`);
    return v;
  }

  addOutput(name: string, value: number): void {
    this.outputs_.push({ name, value });
    this.count(value, 1);
  }

  /** Redefines a value (a view becomes an alias, an output moves to another kernel). */
  setDef(id: number, def: ValueDef): void {
    const v = this.values_[id];
    if (v.def.kind === 'alias') this.aliasChildren.get(v.def.of)?.delete(id);
    v.def = def;
    if (def.kind === 'alias') this.link(def.of, id);
  }

  setPlacement(id: number, placement: { readonly into: number; readonly view: View }): void {
    this.values_[id].placement = placement;
    this.placedInto.add(placement.into);
  }

  /** Adds a kernel and points its outputs' definitions at it. */
  addKernel<K extends KernelKind>(spec: Omit<Kernel<K>, 'id'>): Kernel<K> {
    const kernel = { ...spec, inputs: [...spec.inputs], roles: [...spec.roles], outputs: [...spec.outputs], id: this.nextKernel++ } as unknown as AnyKernel;
    this.kernels_.push(kernel);
    this.byId.set(kernel.id, kernel);
    for (const i of kernel.inputs) this.read(i, kernel, 1);
    for (const out of kernel.outputs) this.setDef(out, { kind: 'kernel', kernel: kernel.id });
    return kernel as unknown as Kernel<K>;
  }

  kernel(id: number): AnyKernel {
    const k = this.byId.get(id);
    if (k === undefined) throw new Error(`no kernel ${id}`);
    return k;
  }

  removeKernels(ids: Iterable<number>): void {
    const drop = new Set(ids);
    for (const id of drop) {
      const k = this.byId.get(id);
      if (k === undefined) continue;
      for (const i of k.inputs) this.read(i, k, -1);
      this.byId.delete(id);
    }
    this.kernels_ = this.kernels_.filter((k) => !drop.has(k.id));
  }

  /** Replaces a kernel's operands (and their roles). */
  setInputs(kernel: AnyKernel, inputs: readonly number[], roles: readonly string[]): void {
    for (const i of kernel.inputs) this.read(i, kernel, -1);
    const k = kernel as MutableKernel;
    k.inputs = [...inputs];
    k.roles = [...roles];
    for (const i of kernel.inputs) this.read(i, kernel, 1);
  }

  /** Replaces the kernel's outputs; each becomes defined by it. */
  setOutputs(kernel: AnyKernel, outputs: readonly number[]): void {
    (kernel as MutableKernel).outputs = [...outputs];
    for (const out of outputs) this.setDef(out, { kind: 'kernel', kernel: kernel.id });
  }

  /** The kernel computing a value (not through aliases), or undefined for sources. */
  producer(valueId: number): AnyKernel | undefined {
    const def = this.value(valueId).def;
    return def.kind === 'kernel' ? this.byId.get(def.kernel) : undefined;
  }

  /** Follows aliases to the stored value. */
  root(valueId: number): number {
    let v = this.value(valueId);
    while (v.def.kind === 'alias') v = this.value(v.def.of);
    return v.id;
  }

  /** Kernels reading a value directly (not through an alias). */
  readers(valueId: number): AnyKernel[] {
    return [...(this.readersOf.get(valueId)?.keys() ?? [])].map((id) => this.byId.get(id) as AnyKernel);
  }

  /** Alias values defined directly on this value that something uses. */
  aliasesOf(valueId: number): number[] {
    return [...(this.aliasChildren.get(valueId) ?? [])].filter((a) => this.isLive(a)).sort((a, b) => a - b);
  }

  isOutput(valueId: number): boolean {
    return this.outputs_.some((o) => o.value === valueId);
  }

  /**
   * How many places use a value: kernel operand slots, graph outputs, and used aliases defined
   * on it. A fusion may swallow a value only when this is 1 (its one consumer is in the group).
   */
  uses(valueId: number): number {
    return (this.direct.get(valueId) ?? 0) + this.aliasesOf(valueId).length;
  }

  /** Replaces every use of `from` (kernel operands, aliases, outputs) by `to`. */
  replaceUses(from: number, to: number): void {
    for (const k of this.readers(from)) this.setInputs(k, k.inputs.map((i) => (i === from ? to : i)), k.roles);
    for (const a of [...(this.aliasChildren.get(from) ?? [])]) {
      const def = this.values_[a].def;
      if (def.kind === 'alias') this.setDef(a, { ...def, of: to });
    }
    this.outputs_ = this.outputs_.map((o) => {
      if (o.value !== from) return o;
      this.count(from, -1);
      this.count(to, 1);
      return { ...o, value: to };
    });
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
    return this.kernels_.filter((k) => k.stage === stage);
  }

  /**
   * Drops kernels whose outputs nobody uses (dead after fusion), then sorts the kernels
   * topologically, breaking ties by stage and `order` so passes keep the lowering's schedule.
   */
  normalize(): void {
    for (;;) {
      const dead = this.kernels_.filter((k) => k.outputs.every((o) => this.uses(o) === 0 && !this.placedInto.has(o)));
      if (dead.length === 0) break;
      this.removeKernels(dead.map((k) => k.id));
    }
    const deps = new Map<number, Set<number>>();
    for (const k of this.kernels_) {
      const set = new Set<number>();
      const addDep = (value: number): void => {
        const r = this.root(value);
        const p = this.producer(r);
        if (p !== undefined && p.id !== k.id) set.add(p.id);
        const placement = this.value(r).placement;
        if (placement !== undefined) addDep(placement.into);
      };
      for (const i of k.inputs) addDep(i);
      deps.set(k.id, set);
    }
    const done = new Set<number>();
    const sorted: AnyKernel[] = [];
    const pending = [...this.kernels_].sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || a.order - b.order || a.id - b.id);
    while (pending.length > 0) {
      const idx = pending.findIndex((k) => [...(deps.get(k.id) ?? [])].every((d) => done.has(d)));
      if (idx < 0) throw new Error(`kernel graph has a cycle among ${pending.map((k) => k.label).join(', ')}`);
      const [k] = pending.splice(idx, 1);
      done.add(k.id);
      sorted.push(k);
    }
    this.kernels_ = sorted;
    sorted.forEach((k, i) => (k.order = i));
  }

  private link(source: number, alias: number): void {
    let set = this.aliasChildren.get(source);
    if (set === undefined) {
      set = new Set();
      this.aliasChildren.set(source, set);
    }
    set.add(alias);
  }

  private count(value: number, delta: number): void {
    this.direct.set(value, (this.direct.get(value) ?? 0) + delta);
  }

  private read(value: number, kernel: AnyKernel, delta: 1 | -1): void {
    this.count(value, delta);
    let slots = this.readersOf.get(value);
    if (slots === undefined) {
      slots = new Map();
      this.readersOf.set(value, slots);
    }
    const n = (slots.get(kernel.id) ?? 0) + delta;
    if (n > 0) slots.set(kernel.id, n);
    else slots.delete(kernel.id);
  }

  /** An alias is live when a kernel, an output or a live alias of it uses it. */
  private isLive(value: number): boolean {
    if ((this.direct.get(value) ?? 0) > 0) return true;
    for (const a of this.aliasChildren.get(value) ?? []) if (this.isLive(a)) return true;
    return false;
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
