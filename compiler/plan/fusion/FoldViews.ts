/**
 * FoldViews: reshape, transpose, slice and broadcast_to become strided views of their input (no
 * kernel, no copy) whenever strides can express them; consumers read through the view. A view
 * that strides cannot express stays an `op` kernel (a copy).
 */
import type { OpAttrs } from '../../ir/types.js';
import type { ViewOp } from '../view.js';
import type { FusionPass } from './pass.js';

export const FoldViews: FusionPass = {
  name: 'FoldViews',
  description: 'reshape/transpose/slice/broadcast_to → strided views (no kernel)',
  run(g) {
    for (const k of [...g.kernels]) {
      if (k.kind !== 'op') continue;
      const out = k.outputs[0];
      let op: ViewOp;
      const attrs = k.params.attrs;
      switch (k.params.op) {
        case 'reshape':
          op = { op: 'reshape', shape: g.value(out).shape };
          break;
        case 'transpose':
          op = { op: 'transpose', perm: (attrs as OpAttrs['transpose']).perm };
          break;
        case 'slice': {
          const a = attrs as OpAttrs['slice'];
          op = { op: 'slice', axis: a.axis, start: a.start, end: a.end };
          break;
        }
        case 'broadcast_to':
          op = { op: 'broadcast', shape: g.value(out).shape };
          break;
        default:
          continue;
      }
      const before = g.value(out).def;
      g.setDef(out, { kind: 'alias', of: k.inputs[0], op });
      if (g.viewOf(out) === undefined) {
        g.setDef(out, before);
        continue;
      }
      g.removeKernels([k.id]);
    }
  },
};
