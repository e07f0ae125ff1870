/**
 * Attention heads: in the decoder and in every encoder the width splits evenly into heads; in
 * the decoder the key/value heads divide the attention heads (grouped-query attention).
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import { alsoAt, blame, type RuleContext } from '../context.js';
import { readNumber, type Part } from '../read.js';

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/** A few head counts near `heads` that divide `hidden`, for help texts. */
export function nearbyDivisors(total: number, near: number): string {
  const candidates = divisors(total).sort((a, b) => Math.abs(a - near) - Math.abs(b - near) || a - b).slice(0, 3).sort((a, b) => a - b);
  return candidates.join(', ');
}

function checkHeads(context: RuleContext, part: Part, owner: string, path: string): void {
  const hidden = readNumber(part, 'hidden');
  const heads = readNumber(part, 'heads');
  if (hidden === undefined || heads === undefined || hidden.value % heads.value === 0) return;
  const primary = blame(heads.span, hidden.span) ?? part.span;
  context.report(
    createDiagnostic(checkDiagnostics.headsDoNotDivide, primary, { owner, heads: heads.value, hidden: hidden.value }, {
      related: alsoAt(primary, { span: heads.span, message: `\`${path}.heads\` is ${heads.value}` }, { span: hidden.span, message: `\`${path}.hidden\` is ${hidden.value}` }),
      help: `each head gets hidden / heads channels; head counts that divide ${hidden.value} near ${heads.value}: ${nearbyDivisors(hidden.value, heads.value)}`,
    }),
  );
}

export function AttentionHeadsRule(context: RuleContext): void {
  const { decoder, senses } = context.parts;
  if (decoder !== undefined) {
    checkHeads(context, decoder, 'decoder', 'decoder');
    const heads = readNumber(decoder, 'heads');
    const kv = readNumber(decoder, 'kv_heads');
    if (heads !== undefined && kv !== undefined && heads.value % kv.value !== 0) {
      const primary = blame(kv.span, heads.span) ?? decoder.span;
      context.report(
        createDiagnostic(checkDiagnostics.kvHeadsDoNotDivide, primary, { kvHeads: kv.value, heads: heads.value }, {
          related: alsoAt(primary, { span: kv.span, message: `\`decoder.kv_heads\` is ${kv.value}` }, { span: heads.span, message: `\`decoder.heads\` is ${heads.value}` }),
          help: `key/value head counts that divide ${heads.value}: ${nearbyDivisors(heads.value, kv.value)} (${heads.value} = plain multi-head attention)`,
        }),
      );
    }
  }
  for (const { sense, encoder } of senses) {
    if (encoder !== undefined) checkHeads(context, encoder, `encoder of sense \`${sense.name}\``, `${sense.name}.encoder`);
  }
}
