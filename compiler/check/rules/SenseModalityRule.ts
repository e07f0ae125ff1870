/**
 * Modality: vision encoders (`clip_vit`, `siglip_vit`) read `image` or `video` input, audio
 * encoders (`whisper`, `beats`) read `audio`; and a vision encoder's input channels match the
 * images' channels.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, blame, type RuleContext } from '../context.js';
import { listNames } from '../didYouMean.js';
import { readNumber, spanOf } from '../read.js';
import { encoderInputs } from '../schema.js';

export function SenseModalityRule(context: RuleContext): void {
  for (const { sense, input, encoder } of context.parts.senses) {
    if (input === undefined || encoder === undefined) continue;
    const accepted = encoderInputs[encoder.kind.name] ?? [];
    if (!accepted.includes(input.kind.name)) {
      const fitting = Object.entries(encoderInputs).filter(([, kinds]) => kinds.includes(input.kind.name)).map(([family]) => family);
      context.report(
        createDiagnostic(checkDiagnostics.modalityMismatch, encoder.component.typeSpan ?? encoder.span, { sense: sense.name, encoder: encoder.kind.name, input: input.kind.name }, {
          related: [{ span: input.component.typeSpan ?? input.span, message: `the input is \`${input.kind.name}\`` }],
          help: `\`${encoder.kind.name}\` reads ${listNames(accepted)}; for \`${input.kind.name}\` use ${listNames(fitting)}`,
        }),
      );
      continue;
    }
    if (input.kind.name === 'audio') continue;
    const inputChannels = readNumber(input, 'channels');
    const encoderChannels = readNumber(encoder, 'channels');
    if (inputChannels === undefined || encoderChannels === undefined || inputChannels.value === encoderChannels.value) continue;
    const primary = blame(inputChannels.span, encoderChannels.span) ?? spanOf(input, 'channels');
    context.report(
      createDiagnostic(checkDiagnostics.channelsMismatch, primary, { sense: sense.name, input: inputChannels.value, encoder: encoderChannels.value }, {
        related: alsoAt(primary, { span: inputChannels.span ?? input.span, message: `the input has ${inputChannels.value} channels` }, { span: encoderChannels.span ?? encoder.span, message: `the encoder expects ${encoderChannels.value}` }),
        help: `make them equal: \`${sense.name}.input.channels = ${encoderChannels.value}\` or \`${sense.name}.encoder.channels = ${inputChannels.value}\``,
      }),
    );
  }
}
