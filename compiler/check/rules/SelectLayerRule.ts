/**
 * Layer selection: `select_layer` picks the layer whose output feeds the projector, counting
 * from 0, or from the end when negative (-1 = last), so it lies in [-layers, layers - 1].
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, type RuleContext } from '../context.js';
import { readNumber } from '../read.js';

export function SelectLayerRule(context: RuleContext): void {
  for (const { sense, encoder } of context.parts.senses) {
    if (encoder === undefined || (encoder.kind.name !== 'clip_vit' && encoder.kind.name !== 'siglip_vit')) continue;
    const layers = readNumber(encoder, 'layers');
    const select = readNumber(encoder, 'select_layer');
    if (layers === undefined || select === undefined) continue;
    if (select.value >= -layers.value && select.value <= layers.value - 1) continue;
    const primary = select.span ?? encoder.span;
    context.report(
      createDiagnostic(checkDiagnostics.selectLayerOutOfRange, primary, { sense: sense.name, select: select.value, low: -layers.value, high: layers.value - 1, layers: layers.value }, {
        related: alsoAt(primary, { span: layers.span, message: `the encoder has ${layers.value} layers` }),
        help: `-1 is the last layer and -2 the one before it (LLaVA's choice); 0 is the first`,
      }),
    );
  }
}
