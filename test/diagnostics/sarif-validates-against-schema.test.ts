import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { allCatalogEntries } from '../../compiler/diagnostics/catalog/index.js';
import { renderSarif } from '../../compiler/diagnostics/render/sarif.js';
import { spanOf } from '../../grammar/line-index.js';
import { diagnostic, misspelledField, missingValue, sources, spanOfText } from './sample-diagnostics.js';

const schemaPath = fileURLToPath(new URL('../fixtures/sarif/sarif-2.1.0.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

/** The schema compiled as it declares itself (draft 2020-12). */
function validatorAsDeclared(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** The same schema under Ajv's default draft-07 dialect (its keywords mean the same there). */
function validatorDraft07(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const { $schema: _declared, ...body } = schema;
  return ajv.compile(body);
}

const root = resolve('/project');
const options = { root, cwd: root, toolVersion: '0.1.0' };

interface SarifLogShape {
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; shortDescription: { text: string } }[] } };
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
      relatedLocations?: { id: number; message: { text: string }; physicalLocation: { region: Record<string, number> } }[];
      fixes?: { description: { text: string }; artifactChanges: { replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[] }[] }[];
    }[];
  }[];
}

function everyKind(): ReturnType<typeof missingValue>[] {
  const elsewhere = spanOf('/elsewhere/other spec.mimo', 'x', 0, 1);
  return [
    missingValue(),
    misspelledField(),
    diagnostic('MIMO0099', 'error', 'internal error: boom', undefined),
    diagnostic('MIMO9999', 'note', 'a code outside the catalog', elsewhere),
    diagnostic('MIMO3010', 'error', 'in a sub folder', spanOf('specs/sub dir/a,b.mimo', 'abc', 1, 2)),
  ];
}

describe('renderSarif', () => {
  const log = JSON.parse(renderSarif(everyKind(), sources, options)) as SarifLogShape;

  it('produces a log that validates against the official SARIF 2.1.0 schema (as declared and as draft-07)', () => {
    for (const validate of [validatorAsDeclared(), validatorDraft07()]) {
      const valid = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('is checked by a validator that rejects broken logs', () => {
    const validate = validatorAsDeclared();
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations![0].physicalLocation.region.startColumn = 0;
    expect(validate(broken)).toBe(false);
    const wrongLevel = structuredClone(log);
    wrongLevel.runs[0].results[0].level = 'fatal';
    expect(validate(wrongLevel)).toBe(false);
  });

  it('describes every catalog entry as a rule: id = code, name = kebab id, shortDescription', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((rule) => rule.id)).toEqual(allCatalogEntries.map((entry) => entry.code).sort());
    for (const entry of allCatalogEntries) {
      const rule = rules.find((candidate) => candidate.id === entry.code)!;
      expect(rule.name).toBe(entry.id);
      expect(rule.shortDescription.text).toBe(entry.description);
    }
    expect(log.runs[0].tool.driver.name).toBe('mimo');
  });

  it('points results at their rule and gives 1-based regions whose endColumn is exclusive', () => {
    const results = log.runs[0].results;
    const rules = log.runs[0].tool.driver.rules;
    const internal = results[2];
    expect(rules[internal.ruleIndex!].id).toBe('MIMO0099');
    expect(results[3].ruleIndex).toBeUndefined();
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');

    const warning = results[1];
    expect(warning.level).toBe('warning');
    const hiden = spanOfText('hiden');
    // `hiden` sits at line 5, columns 2..6; SARIF's endColumn is the column after the region.
    expect(warning.locations![0].physicalLocation.region).toEqual({
      startLine: 5,
      startColumn: 2,
      endLine: 5,
      endColumn: 7,
      charOffset: hiden.offset,
      charLength: 5,
    });
    expect(warning.relatedLocations).toEqual([
      expect.objectContaining({ id: 1, message: { text: '`hidden` is set here' } }),
    ]);
    expect(warning.fixes![0].description.text).toBe('did you mean `hidden`?');
    expect(warning.fixes![0].artifactChanges[0].replacements[0].insertedContent.text).toBe('hidden');
    expect(results[0].message.text).toBe('expected a value after `layers`\nhelp: write a number, e.g. `layers 32`');
    expect(internal.locations).toBeUndefined();
  });

  it('gives root-relative URIs with forward slashes under %SRCROOT%, and file: URIs outside the root', () => {
    const results = log.runs[0].results;
    expect(results[0].locations![0].physicalLocation.artifactLocation).toEqual({ uri: 'specs/x.mimo', uriBaseId: '%SRCROOT%' });
    expect(results[4].locations![0].physicalLocation.artifactLocation).toEqual({ uri: 'specs/sub%20dir/a%2Cb.mimo', uriBaseId: '%SRCROOT%' });
    expect(results[3].locations![0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/other%20spec.mimo' });
  });

  it('resolves relative span paths against cwd before relating them to the root', () => {
    const nested = JSON.parse(renderSarif([missingValue()], sources, { root, cwd: join(root, 'models'), toolVersion: '0.1.0' })) as SarifLogShape;
    expect(nested.runs[0].results[0].locations![0].physicalLocation.artifactLocation.uri).toBe('models/specs/x.mimo');
  });

  it('renders the same bytes for the same input', () => {
    expect(renderSarif(everyKind(), sources, options)).toBe(renderSarif(everyKind(), sources, options));
  });
});
