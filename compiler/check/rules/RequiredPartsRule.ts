/**
 * Required parts: a model has a decoder; every sense has an input, an encoder, a projector and a
 * placeholder token; every component names its kind; and every required field (a width, a
 * layer count, an image size...) is set by a preset or by the spec.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { checkDiagnostics } from '../../diagnostics/catalog/check.js';
import type { RuleContext } from '../context.js';
import { listNames } from '../didYouMean.js';
import { requiredSenseParts, roles } from '../schema.js';
import { walkModel } from '../walk.js';

const examples: Readonly<Record<string, string>> = {
  decoder: 'decoder llama("llama-2-7b")',
  input: 'input image(size: 336)',
  encoder: 'encoder clip_vit("ViT-L/14-336")',
  projector: 'projector mlp(depth: 2, act: gelu)',
  token: 'token "<image>"',
};

/** One published preset per family, for help texts. */
const presetExamples: Readonly<Record<string, string>> = {
  llama: 'llama("llama-2-7b")',
  gpt2: 'gpt2("small")',
  clip_vit: 'clip_vit("ViT-L/14")',
  siglip_vit: 'siglip_vit("base-16-224")',
  whisper: 'whisper("base")',
  beats: 'beats("iter3")',
};

export function RequiredPartsRule(context: RuleContext): void {
  const { model } = context;
  if (!model.fields.has('decoder')) {
    context.report(
      createDiagnostic(checkDiagnostics.missingPart, model.origin.span, { owner: `model \`${model.id}\``, part: 'decoder' }, {
        help: `add a decoder, e.g. \`${examples.decoder}\` or \`decoder gpt2("small")\``,
      }),
    );
  }
  for (const sense of model.senses.values()) {
    for (const part of requiredSenseParts) {
      if (sense.fields.has(part)) continue;
      context.report(
        createDiagnostic(checkDiagnostics.missingPart, sense.nameSpan, { owner: `sense \`${sense.name}\``, part }, {
          help: `add \`${examples[part]}\` to the sense`,
        }),
      );
    }
  }
  walkModel(model, {
    component({ path, role, component, kind }) {
      if (component.type === undefined) {
        const kinds = roles[role].kinds.map((k) => k.name);
        context.report(
          createDiagnostic(checkDiagnostics.noKind, component.span, { owner: `\`${path}\``, role: roles[role].label }, {
            help: `name it before the block, e.g. \`${path.split('.').pop() ?? path} ${kinds[0]} { ... }\`; one of ${listNames(kinds)}`,
          }),
        );
        return;
      }
      if (kind === undefined) return;
      for (const spec of kind.fields) {
        if (!spec.required || component.fields.has(spec.name)) continue;
        context.report(
          createDiagnostic(checkDiagnostics.missingField, component.span, { owner: `\`${path}\` (${kind.name})`, field: spec.name, doc: spec.doc }, {
            help: kind.presets
              ? `set \`${spec.name}\` here, or start from a preset that sets it, e.g. \`${presetExamples[kind.name] ?? `${kind.name}("...")`}\``
              : `set \`${spec.name}\`, e.g. \`${kind.name}(${spec.name}: ...)\``,
          }),
        );
      }
    },
  });
}
