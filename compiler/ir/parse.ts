/**
 * Reads the text form written by `printGraph` back into a graph (types are taken as written;
 * run `verifyGraph` to check them). Malformed text throws `IrParseError` naming the line.
 */
import { canonicalDim } from './dims.js';
import type { Dim, Graph, GraphOutput, IrDType, IrNode, OpCategory, SymbolSpec, WeightComponent, WeightInit, WeightSpec } from './types.js';
import { IR_VERSION } from './types.js';

export class IrParseError extends Error {
  override readonly name = 'IrParseError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const DTYPES: readonly IrDType[] = ['float32', 'float16', 'bfloat16', 'int32'];
const CATEGORIES: readonly OpCategory[] = ['elementwise', 'broadcast', 'injective', 'reduction', 'out_elementwise_fusable', 'opaque'];
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const TYPE = String.raw`([a-z0-9]+)\[([^\]]*)\]`;

const HEADER = new RegExp(`^graph (${JSON_STRING}) version (\\d+)$`);
const SYMBOL = new RegExp(`^symbol ([a-z_][a-z0-9_]*)(?: max (\\d+))? (${JSON_STRING})$`);
const WEIGHT = new RegExp(`^weight (${JSON_STRING}) : ${TYPE} (decoder|(?:encoder|projector)\\((${JSON_STRING})\\)) (frozen|trainable) (used|unused) (normal\\(([^)]+)\\)|zeros|ones)$`);
const NODE = new RegExp(`^%(\\d+) = ([a-z0-9_]+)\\(([^)]*)\\) (\\{.*\\}) : ${TYPE} ([a-z_]+)(?: @([A-Za-z0-9_.]+))?$`);
const OUTPUT = new RegExp(`^output (${JSON_STRING}) = %(\\d+)$`);

function parseDtype(text: string, line: number): IrDType {
  if (!(DTYPES as readonly string[]).includes(text)) throw new IrParseError(line, `unknown dtype \`${text}\``);
  return text as IrDType;
}

function parseShape(text: string, line: number): Dim[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const t = part.trim();
    const dim: Dim = /^\d+$/.test(t) ? Number(t) : t;
    try {
      if (canonicalDim(dim) !== dim) throw new Error('not canonical');
    } catch {
      throw new IrParseError(line, `malformed dim \`${t}\``);
    }
    return dim;
  });
}

function parseJson<T>(text: string, line: number): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new IrParseError(line, `malformed JSON ${text}`);
  }
}

export function parseGraph(text: string): Graph {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let modelId: string | undefined;
  const symbols: SymbolSpec[] = [];
  const weights: WeightSpec[] = [];
  const nodes: IrNode[] = [];
  const outputs: GraphOutput[] = [];
  lines.forEach((raw, index) => {
    const no = index + 1;
    let m: RegExpExecArray | null;
    if (index === 0) {
      m = HEADER.exec(raw);
      if (m === null) throw new IrParseError(no, 'expected `graph "<id>" version <n>`');
      if (Number(m[2]) !== IR_VERSION) throw new IrParseError(no, `IR version ${m[2]} is not ${IR_VERSION}`);
      modelId = parseJson<string>(m[1], no);
    } else if ((m = SYMBOL.exec(raw)) !== null) {
      symbols.push({ name: m[1], max: m[2] === undefined ? undefined : Number(m[2]), description: parseJson<string>(m[3], no) });
    } else if ((m = WEIGHT.exec(raw)) !== null) {
      const shape = parseShape(m[3], no);
      if (!shape.every((d) => typeof d === 'number')) throw new IrParseError(no, 'weight shapes must be concrete');
      const component: WeightComponent =
        m[4] === 'decoder' ? { kind: 'decoder' } : { kind: m[4].startsWith('encoder') ? 'encoder' : 'projector', sense: parseJson<string>(m[5], no) };
      const init: WeightInit = m[8] === 'zeros' ? { kind: 'zeros' } : m[8] === 'ones' ? { kind: 'ones' } : { kind: 'normal', std: Number(m[9]) };
      weights.push({ name: parseJson<string>(m[1], no), shape: shape as number[], dtype: parseDtype(m[2], no), component, frozen: m[6] === 'frozen', used: m[7] === 'used', init });
    } else if ((m = NODE.exec(raw)) !== null) {
      const inputs = m[3].trim() === '' ? [] : m[3].split(',').map((s) => {
        const t = s.trim();
        if (!/^%\d+$/.test(t)) throw new IrParseError(no, `malformed operand \`${t}\``);
        return Number(t.slice(1));
      });
      const category = m[7] as OpCategory;
      if (!CATEGORIES.includes(category)) throw new IrParseError(no, `unknown category \`${m[7]}\``);
      let attrs = parseJson<Record<string, unknown>>(m[4], no);
      // JSON drops `undefined`; an input's `sense` is always present in the graph.
      if (m[2] === 'input') attrs = { name: attrs.name, role: attrs.role, sense: attrs.sense };
      const node = { id: Number(m[1]), op: m[2], inputs, attrs, shape: parseShape(m[6], no), dtype: parseDtype(m[5], no), category, scope: m[8] ?? '' };
      nodes.push(node as unknown as IrNode);
    } else if ((m = OUTPUT.exec(raw)) !== null) {
      outputs.push({ name: parseJson<string>(m[1], no), node: Number(m[2]) });
    } else {
      throw new IrParseError(no, `cannot read \`${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}\``);
    }
  });
  if (modelId === undefined) throw new IrParseError(1, 'empty text');
  return { version: IR_VERSION, modelId, symbols, nodes, outputs, weights };
}
