/**
 * The zipper's routing table, built on the host from the token ids before a forward: where each
 * prompt position takes its embedding from. Counting placeholder occurrences is sequential per
 * sample and the ids are on the host anyway, so the device only does the data-parallel copy.
 */
import type { GpuZipRoutes } from './program.js';

export class ZipperMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipperMismatchError';
  }
}

/**
 * `[batch, seq, 2]` int32: (0, id) for a token row of the embedding table, (k + 1, n) for row n
 * of sense k. Every sample must hold exactly `tokens` placeholders of each sense.
 */
export function buildZipRoutes(step: GpuZipRoutes, ids: Int32Array, batch: number, seq: number): Int32Array {
  if (ids.length !== batch * seq) throw new ZipperMismatchError(`zipper: '${step.ids}' has ${ids.length} ids, expected ${batch}×${seq}`);
  const routes = new Int32Array(batch * seq * 2);
  const sense = new Map<number, number>();
  step.placeholders.forEach((p, k) => sense.set(p.tokenId, k));
  for (let b = 0; b < batch; b++) {
    const seen = new Array<number>(step.placeholders.length).fill(0);
    for (let p = 0; p < seq; p++) {
      const id = ids[b * seq + p];
      const k = sense.get(id);
      const at = (b * seq + p) * 2;
      if (k === undefined) {
        routes[at] = 0;
        routes[at + 1] = id;
      } else {
        routes[at] = k + 1;
        routes[at + 1] = seen[k]++;
      }
    }
    step.placeholders.forEach((ph, k) => {
      if (seen[k] !== ph.tokens) {
        throw new ZipperMismatchError(
          `zipper: sample ${b} holds ${seen[k]} '${ph.sense}' placeholder tokens (id ${ph.tokenId}) but the sense produces ${ph.tokens} embeddings; expand the placeholder to exactly ${ph.tokens} tokens`,
        );
      }
    });
  }
  return routes;
}
