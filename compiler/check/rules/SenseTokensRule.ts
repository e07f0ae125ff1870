/**
 * Exact tokens per sense. Vision: frames x ((size / patch)^2, / pool^2 after pooling, + 1 class
 * token unless dropped). Whisper: samples -> floor(samples / hop) + 1 mel frames (centered STFT;
 * minus one with `drop_last_frame`) -> ceil(mel / 2) after the stride-2 convolution, which must
 * fit the encoder's position table. BEATs: 1 + floor((samples - window) / shift) fbank frames ->
 * floor(frames / patch) x (mel_bins / patch). Clips must be whole samples and long enough for a
 * token.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { type RuleContext } from '../context.js';
import { senseTokens, type Step } from '../derive.js';

function arithmetic(steps: readonly Step[]): string {
  return steps.map((s) => `${s.label} = ${s.value}`).join('; ');
}

/** The longest whole hundredth of a second within `samples` (e.g. 29.99 for 479999 at 16 kHz). */
function hundredths(samples: number, rate: number): string {
  return (Math.floor((samples * 100) / rate) / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** The shortest whole millisecond that reaches `samples`. */
function milliseconds(samples: number, rate: number): string {
  return String(Math.ceil((samples * 1000) / rate) / 1000);
}

export function SenseTokensRule(context: RuleContext): void {
  for (const parts of context.parts.senses) {
    const { sense, encoder, input } = parts;
    const { problem, steps } = senseTokens(parts);
    if (problem === undefined || encoder === undefined || input === undefined) continue;
    switch (problem.kind) {
      case 'samplesNotInteger':
        context.report(
          createDiagnostic(checkDiagnostics.samplesNotInteger, problem.span, { sense: sense.name, seconds: problem.seconds, rate: problem.sampleRate, samples: Number(problem.samples.toFixed(6)) }, {
            help: `choose a length that is a whole number of samples, e.g. ${Math.floor(problem.samples) / problem.sampleRate} s`,
          }),
        );
        break;
      case 'audioTooShort':
        context.report(
          createDiagnostic(checkDiagnostics.audioTooShort, problem.span, { sense: sense.name, samples: problem.samples, what: problem.what }, {
            help: `${steps.length > 0 ? arithmetic(steps) + '. ' : ''}use at least ${problem.needed} samples (${milliseconds(problem.needed, parseRate(steps))} s)`,
          }),
        );
        break;
      case 'melBinsNotDivisible':
        context.report(
          createDiagnostic(checkDiagnostics.melBinsNotDivisible, problem.span, { sense: sense.name, patch: problem.patch, melBins: problem.melBins }, {
            help: `use a patch size that divides ${problem.melBins}, or a multiple of ${problem.patch} mel bins`,
          }),
        );
        break;
      case 'whisperTooLong': {
        const rate = parseRate(steps);
        const maxSamples = problem.hop * 2 * problem.positions - 1;
        const maxWithDrop = problem.hop * (2 * problem.positions + 1) - 1;
        const fixes = [`a clip of at most ${hundredths(maxSamples, rate)} s (at most ${maxSamples} samples)`];
        if (!problem.dropLast && problem.samples <= maxWithDrop) {
          fixes.push(
            `\`drop_last_frame: true\` on the encoder, as openai/whisper's front end does (${problem.melFrames} -> ${problem.melFrames - 1} mel frames -> ${Math.ceil((problem.melFrames - 1) / 2)} positions)`,
          );
        }
        context.report(
          createDiagnostic(checkDiagnostics.audioTooLong, problem.span, { sense: sense.name, tokens: problem.tokens, family: encoder.kind.name, positions: problem.positions }, {
            related: [{ span: encoder.component.fields.get('positions')?.value.span ?? encoder.span, message: `the position table has ${problem.positions} rows` }],
            help: `${arithmetic(steps)} > ${problem.positions} positions. Fix: ${fixes.join(', or ')}`,
          }),
        );
        break;
      }
    }
  }
}

/** The sample rate stated in the first derivation step (`samples: T s x R Hz`). */
function parseRate(steps: readonly Step[]): number {
  const match = /x (\d+(?:\.\d+)?) Hz/.exec(steps[0]?.label ?? '');
  return match === null ? 16000 : Number(match[1]);
}
