/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format code-scanning
 * services read. One run; the driver's `rules` are the whole catalog (id = code, name = kebab id);
 * each diagnostic is a result with its primary location, related locations and fixes.
 *
 * Locations: files inside the project root get a relative `uri` with `uriBaseId: "%SRCROOT%"`,
 * files outside it an absolute `file:` URI. Regions are 1-based; SARIF's `endColumn` is the column
 * *after* the region, which is exactly `Span.endColumn`. Columns count UTF-16 code units
 * (`columnKind: "utf16CodeUnits"`), as spans do.
 */
import { allCatalogEntries, type CatalogEntry } from '../catalog/index.js';
import type { Diagnostic, Severity, Span } from '../types.js';
import { artifactPath, encodeUriPath, fileUri, type ArtifactPathOptions } from './artifact-path.js';

export const sarifSchemaUri = 'https://json.schemastore.org/sarif-2.1.0.json';
export const srcRootBaseId = '%SRCROOT%';

export interface SarifOptions extends ArtifactPathOptions {
  /** `tool.driver.version`: the mimo version. */
  readonly toolVersion: string;
  /** `tool.driver.informationUri`, when known. */
  readonly informationUri?: string;
  /** Rule metadata (default: every catalog entry). */
  readonly rules?: readonly CatalogEntry[];
}

interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly charOffset: number;
  readonly charLength: number;
}

interface SarifPhysicalLocation {
  readonly artifactLocation: SarifArtifactLocation;
  readonly region: SarifRegion;
}

const levels: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warning: 'warning',
  note: 'note',
};

export function renderSarif(diagnostics: readonly Diagnostic[], _sources: ReadonlyMap<string, string>, options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(diagnostics, options), null, 2)}\n`;
}

/** The SARIF log as a plain object (what `renderSarif` serialises). */
export function toSarifLog(diagnostics: readonly Diagnostic[], options: SarifOptions): Record<string, unknown> {
  const rules = [...(options.rules ?? allCatalogEntries)].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  const driver: Record<string, unknown> = { name: 'mimo', version: options.toolVersion };
  if (options.informationUri !== undefined) driver.informationUri = options.informationUri;
  driver.rules = rules.map((rule) => ({
    id: rule.code,
    name: rule.id,
    shortDescription: { text: rule.description },
    defaultConfiguration: { level: levels[rule.severity] },
  }));
  return {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((diagnostic) => toResult(diagnostic, ruleIndex.get(diagnostic.code), options)),
      },
    ],
  };
}

function toResult(diagnostic: Diagnostic, ruleIndex: number | undefined, options: ArtifactPathOptions): Record<string, unknown> {
  const result: Record<string, unknown> = { ruleId: diagnostic.code };
  if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  result.level = levels[diagnostic.severity];
  const text = diagnostic.help === undefined ? diagnostic.message : `${diagnostic.message}\nhelp: ${diagnostic.help}`;
  result.message = { text };
  if (diagnostic.span !== undefined) {
    result.locations = [{ physicalLocation: physicalLocation(diagnostic.span, options) }];
  }
  if (diagnostic.related.length > 0) {
    result.relatedLocations = diagnostic.related.map((item, index) => ({
      id: index + 1,
      physicalLocation: physicalLocation(item.span, options),
      message: { text: item.message },
    }));
  }
  if (diagnostic.fix !== undefined) {
    result.fixes = [
      {
        description: { text: diagnostic.fix.description },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(diagnostic.fix.span.file, options),
            replacements: [{ deletedRegion: region(diagnostic.fix.span), insertedContent: { text: diagnostic.fix.replacement } }],
          },
        ],
      },
    ];
  }
  return result;
}

function artifactLocation(file: string, options: ArtifactPathOptions): SarifArtifactLocation {
  const located = artifactPath(file, options);
  return located.insideRoot ? { uri: encodeUriPath(located.path), uriBaseId: srcRootBaseId } : { uri: fileUri(located.path) };
}

function physicalLocation(span: Span, options: ArtifactPathOptions): SarifPhysicalLocation {
  return { artifactLocation: artifactLocation(span.file, options), region: region(span) };
}

function region(span: Span): SarifRegion {
  return {
    startLine: Math.max(1, span.line),
    startColumn: Math.max(1, span.column),
    endLine: Math.max(1, span.endLine),
    endColumn: Math.max(1, span.endColumn),
    charOffset: Math.max(0, span.offset),
    charLength: Math.max(0, span.endOffset - span.offset),
  };
}
