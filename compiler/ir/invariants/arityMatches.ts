import { opSchemas } from '../ops/index.js';
import type { Invariant } from './invariant.js';

/** Each node is a known op with an operand count its schema accepts. */
export const arityMatches: Invariant = {
  name: 'arity-matches',
  description: 'each op is known and has an operand count its schema accepts',
  check: (g) =>
    g.nodes.flatMap((n) => {
      const schema = (opSchemas as Record<string, (typeof opSchemas)[keyof typeof opSchemas] | undefined>)[n.op];
      if (schema === undefined) return [`%${n.id} has unknown op \`${n.op}\``];
      const [min, max] = typeof schema.arity === 'number' ? [schema.arity, schema.arity] : schema.arity;
      return n.inputs.length >= min && n.inputs.length <= max ? [] : [`%${n.id} (${n.op}) has ${n.inputs.length} operands`];
    }),
};
