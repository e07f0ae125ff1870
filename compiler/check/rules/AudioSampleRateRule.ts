/**
 * Whisper's front end (mel filterbank, 10 ms hop of 160 samples) is defined for 16 kHz audio;
 * another sample rate changes what the encoder hears, so it is worth a warning.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { readNumber, spanOf } from '../read.js';

export function AudioSampleRateRule(context: RuleContext): void {
  for (const { sense, input, encoder } of context.parts.senses) {
    if (input?.kind.name !== 'audio' || encoder?.kind.name !== 'whisper') continue;
    const rate = readNumber(input, 'sample_rate');
    if (rate === undefined || rate.value === 16000) continue;
    context.report(
      createDiagnostic(checkDiagnostics.whisperSampleRate, rate.span ?? spanOf(input, 'sample_rate'), { sense: sense.name, rate: rate.value }, {
        help: 'resample the audio to 16 kHz (`sample_rate: 16000`)',
      }),
    );
  }
}
