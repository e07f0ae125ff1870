/**
 * Reads one number out of an analysis by dotted path, for user asserts (`assert m.params < 8e9`)
 * and `--json` consumers. Paths:
 *   params | params.total | params.trainable | params.frozen
 *   params.<module>[.<module>...][.trainable|.frozen]   e.g. params.vision.encoder, params.decoder.head
 *   tokens | tokens.total | tokens.text | tokens.<sense>
 *   sequence_length
 *   flops | flops.total | flops.<module>...             e.g. flops.decoder.layers.mlp
 *   memory | memory.total | memory.weights[.float32|.float16|.bfloat16|.int8] | memory.kv_cache | memory.activations
 */
import type { ModelAnalysis, ParamNode } from './types.js';
import { findNode } from './tree.js';

function paramValue(node: ParamNode, key: string | undefined): bigint | undefined {
  if (key === undefined || key === 'total') return node.params;
  if (key === 'trainable') return node.trainable;
  if (key === 'frozen') return node.params - node.trainable;
  return undefined;
}

function lookupParams(root: ParamNode, rest: readonly string[]): bigint | undefined {
  const node = findNode(root, rest);
  if (node !== undefined) return node.params;
  // `<module path>.trainable` and friends.
  const last = rest[rest.length - 1];
  const owner = findNode(root, rest.slice(0, -1));
  return owner === undefined ? undefined : paramValue(owner, last);
}

export function lookupAnalysisPath(analysis: ModelAnalysis, segments: readonly string[]): bigint | number | undefined {
  const [head, ...rest] = segments;
  switch (head) {
    case 'params':
      return lookupParams(analysis.params, rest);
    case 'tokens': {
      if (rest.length === 0) return analysis.tokens.total;
      if (rest.length !== 1) return undefined;
      const sense = analysis.tokens.bySense.find((s) => s.sense === rest[0]);
      if (sense !== undefined) return sense.tokens;
      if (rest[0] === 'text') return analysis.tokens.text;
      if (rest[0] === 'total') return analysis.tokens.total;
      return undefined;
    }
    case 'sequence_length':
      return rest.length === 0 ? analysis.sequenceLength : undefined;
    case 'flops': {
      if (rest.length === 0 || (rest.length === 1 && rest[0] === 'total')) return analysis.flops.flops;
      return findNode(analysis.flops, rest)?.flops;
    }
    case 'memory': {
      const m = analysis.memory;
      if (rest.length === 0 || (rest.length === 1 && rest[0] === 'total')) return m.total;
      if (rest[0] === 'weights') {
        if (rest.length === 1) return m.weights;
        if (rest.length === 2 && Object.hasOwn(m.weightsByDtype, rest[1])) {
          return m.weightsByDtype[rest[1] as keyof typeof m.weightsByDtype];
        }
        return undefined;
      }
      if (rest.length !== 1) return undefined;
      if (rest[0] === 'kv_cache') return m.kvCache;
      if (rest[0] === 'activations') return m.activations;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Every path `lookupAnalysisPath` answers for this analysis, for "did you mean" suggestions. */
export function analysisPaths(analysis: ModelAnalysis): string[] {
  const paths = ['params', 'params.total', 'params.trainable', 'params.frozen'];
  const walkParams = (node: ParamNode, prefix: string): void => {
    for (const child of node.children) {
      const path = `${prefix}.${child.name}`;
      paths.push(path, `${path}.trainable`, `${path}.frozen`);
      walkParams(child, path);
    }
  };
  walkParams(analysis.params, 'params');
  paths.push('tokens', 'tokens.total', 'tokens.text', ...analysis.tokens.bySense.map((s) => `tokens.${s.sense}`));
  paths.push('sequence_length', 'flops', 'flops.total');
  const walkFlops = (node: ModelAnalysis['flops'], prefix: string): void => {
    for (const child of node.children) {
      paths.push(`${prefix}.${child.name}`);
      walkFlops(child, `${prefix}.${child.name}`);
    }
  };
  walkFlops(analysis.flops, 'flops');
  paths.push(
    'memory',
    'memory.total',
    'memory.weights',
    'memory.weights.float32',
    'memory.weights.float16',
    'memory.weights.bfloat16',
    'memory.weights.int8',
    'memory.kv_cache',
    'memory.activations',
  );
  return paths;
}
