/**
 * ZipperScatter: the token embedding lookup and the zipper (`zip`, opaque: data-dependent) become
 * ONE scatter kernel, `embed_zip`: each prompt row is either its token's embedding row or the
 * next row of its sense's embeddings, written once, in place of a lookup then a copy.
 */
import type { OpAttrs } from '../../ir/types.js';
import type { FusionPass } from './pass.js';

export const ZipperScatter: FusionPass = {
  name: 'ZipperScatter',
  description: 'embedding gather + zipper → one scatter kernel',
  run(g) {
    for (const zip of [...g.kernels]) {
      if (zip.kind !== 'op' || zip.params.op !== 'zip') continue;
      const [embeds, ids, ...senses] = zip.inputs;
      const gather = g.producer(embeds);
      if (gather === undefined || gather.kind !== 'op' || gather.params.op !== 'gather' || g.uses(embeds) !== 1) continue;
      if (g.value(embeds).def.kind !== 'kernel' || gather.inputs[1] !== ids) continue;
      g.removeKernels([zip.id, gather.id]);
      g.addKernel<'embed_zip'>({
        kind: 'embed_zip',
        inputs: [gather.inputs[0], ids, ...senses],
        roles: ['table', 'ids', ...senses.map((_, i) => `sense${i}`)],
        outputs: [zip.outputs[0]],
        params: { placeholders: (zip.params.attrs as OpAttrs['zip']).placeholders },
        ir: [...gather.ir, ...zip.ir].sort((a, b) => a - b),
        scope: zip.scope,
        label: 'embed_zip',
        stage: 'forward',
        order: zip.order,
      });
    }
  },
};
