/**
 * An append-only graph builder: every `op` call infers and stores the output type (so a built
 * graph is typed by construction), weights are registered once in a manifest and loaded by one
 * node each, and a scope stack records the Hugging Face module path of every node.
 */
import { inferNodeType, type TensorType } from './ops/index.js';
import type {
  Graph,
  GraphOutput,
  InputRole,
  IrDType,
  IrNode,
  OpAttrs,
  OpKind,
  Shape,
  SymbolSpec,
  WeightComponent,
  WeightInit,
  WeightSpec,
} from './types.js';
import { IR_VERSION } from './types.js';

/** Attributes may be left out for ops without any (`add`, `gather`, ...). */
export type AttrArgs<K extends OpKind> = OpAttrs[K] extends Record<string, never>
  ? [attrs?: OpAttrs[K], declared?: TensorType]
  : [attrs: OpAttrs[K], declared?: TensorType];

/** A value in the graph under construction: the id of its producing node. */
export type ValueId = number;

/** What the weights registered inside a `component` block belong to. */
export interface ComponentContext {
  readonly component: WeightComponent;
  readonly frozen: boolean;
}

export class GraphBuilder {
  private readonly nodes: IrNode[] = [];
  private readonly weights = new Map<string, WeightSpec>();
  private readonly weightNodes = new Map<string, ValueId>();
  private readonly scopes: string[] = [];
  private context: ComponentContext = { component: { kind: 'decoder' }, frozen: false };

  constructor(
    readonly modelId: string,
    readonly symbols: readonly SymbolSpec[],
    /** Dtype of weights and float activations. */
    readonly floatType: IrDType,
  ) {}

  /** Runs `body` with `path` appended to the module scope (`layers.0`, `self_attn`). */
  within<T>(path: string, body: () => T): T {
    this.scopes.push(path);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  /** Runs `body` with weights attributed to `context` and the scope set to `root`. */
  component<T>(context: ComponentContext, root: string, body: () => T): T {
    const saved = this.context;
    const savedScopes = this.scopes.splice(0);
    this.context = context;
    this.scopes.push(root);
    try {
      return body();
    } finally {
      this.context = saved;
      this.scopes.splice(0, this.scopes.length, ...savedScopes);
    }
  }

  /** The current module path, e.g. `language_model.model.layers.0.self_attn`. */
  get scope(): string {
    return this.scopes.filter((s) => s !== '').join('.');
  }

  /** Full name of a parameter under the current scope. */
  nameOf(local: string): string {
    return this.scope === '' ? local : `${this.scope}.${local}`;
  }

  type(id: ValueId): TensorType {
    const n = this.nodes[id];
    return { shape: n.shape, dtype: n.dtype };
  }

  shape(id: ValueId): Shape {
    return this.nodes[id].shape;
  }

  op<K extends OpKind>(op: K, inputs: readonly ValueId[], ...args: AttrArgs<K>): ValueId {
    const [attrs = {} as OpAttrs[K], declared] = args;
    const inferred = inferNodeType(op, attrs, inputs.map((i) => this.type(i)), declared, { weights: this.weights });
    const id = this.nodes.length;
    const node = { id, op, inputs: [...inputs], attrs, shape: inferred.type.shape, dtype: inferred.type.dtype, category: inferred.category, scope: this.scope };
    this.nodes.push(node as IrNode);
    return id;
  }

  input(name: string, role: InputRole, sense: string | undefined, shape: Shape, dtype: IrDType): ValueId {
    return this.op('input', [], { name, role, sense }, { shape, dtype });
  }

  constant(value: number): ValueId {
    return this.op('constant', [], { value }, { shape: [], dtype: this.floatType });
  }

  /** Registers a manifest entry (under the current scope) without reading it. */
  declareWeight(local: string, shape: readonly number[], init: WeightInit): string {
    const name = this.nameOf(local);
    if (this.weights.has(name)) throw new Error(`weight \`${name}\` registered twice`);
    this.weights.set(name, { name, shape, dtype: this.floatType, component: this.context.component, frozen: this.context.frozen, used: false, init });
    return name;
  }

  /** Registers a weight under the current scope and returns the node that reads it. */
  weight(local: string, shape: readonly number[], init: WeightInit): ValueId {
    return this.readWeight(this.declareWeight(local, shape, init));
  }

  /** The node reading an already registered weight by full name (one node per weight, shared). */
  readWeight(name: string): ValueId {
    const existing = this.weightNodes.get(name);
    if (existing !== undefined) return existing;
    const spec = this.weights.get(name);
    if (spec === undefined) throw new Error(`weight \`${name}\` is not registered`);
    this.weights.set(name, { ...spec, used: true });
    const scope = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    const id = this.component({ component: spec.component, frozen: spec.frozen }, scope, () => this.op('weight', [], { name }));
    this.weightNodes.set(name, id);
    return id;
  }

  finish(outputs: readonly GraphOutput[]): Graph {
    return {
      version: IR_VERSION,
      modelId: this.modelId,
      symbols: this.symbols,
      nodes: [...this.nodes],
      outputs,
      weights: [...this.weights.values()],
    };
  }
}
