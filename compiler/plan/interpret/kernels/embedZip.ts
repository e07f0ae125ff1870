/** `embed_zip`: one pass over the prompt rows, each written once from the table or from its sense. */
import type { PlanKernelOf } from '../../types.js';
import { InterpretError } from '../ops.js';
import type { PlanStorage } from '../storage.js';

export function runEmbedZip(k: PlanKernelOf<'embed_zip'>, s: PlanStorage): void {
  const [tableOp, idsOp, ...senseOps] = k.inputs;
  const table = s.access(tableOp);
  const ids = s.access(idsOp);
  const senses = senseOps.map((o) => s.access(o));
  const out = s.access(k.outputs[0]);
  const [batch, seq, hidden] = k.outputs[0].shape;
  const vocab = tableOp.shape[0];
  const placeholders = k.params.placeholders;
  for (let b = 0; b < batch; b++) {
    const next = placeholders.map(() => 0);
    for (let p = 0; p < seq; p++) {
      const id = ids.get(b * seq + p);
      const sense = placeholders.findIndex((ph) => ph.tokenId === id);
      const dst = (b * seq + p) * hidden;
      if (sense >= 0) {
        const row = next[sense]++;
        const tokens = placeholders[sense].tokens;
        if (row >= tokens) throw new InterpretError(`sample ${b} has more than ${tokens} \`${placeholders[sense].sense}\` placeholders`);
        const src = (b * tokens + row) * hidden;
        for (let h = 0; h < hidden; h++) out.set(dst + h, senses[sense].get(src + h));
      } else {
        if (!(id >= 0 && id < vocab)) throw new InterpretError(`token id ${id} is outside the ${vocab}-row table`);
        for (let h = 0; h < hidden; h++) out.set(dst + h, table.get(id * hidden + h));
      }
    }
    placeholders.forEach((ph, i) => {
      if (next[i] !== ph.tokens) throw new InterpretError(`sample ${b} has ${next[i]} \`${ph.sense}\` placeholders for ${ph.tokens} embeddings`);
    });
  }
}
