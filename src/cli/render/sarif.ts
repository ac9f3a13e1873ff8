import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Report, RuleInfo, Severity } from '../../contracts/index.js';

/** SARIF 2.1.0 (OASIS): one run, the rule table from the catalog, one result per finding. */
const level: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub code scanning reads `security-severity` (0–10) to rank security results. */
const securitySeverity: Record<Severity, string> = {
  critical: '9.8',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function renderSarif(report: Report, catalog: Readonly<Record<string, RuleInfo>>): string {
  const ruleIds = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const rule = catalog[id];
    return {
      id,
      name: id.replace(/[.-](\w)/g, (_m, c: string) => c.toUpperCase()),
      shortDescription: { text: rule?.title ?? id },
      fullDescription: { text: rule?.description ?? id },
      help: { text: rule?.remediation ?? '', markdown: rule?.remediation ?? '' },
      defaultConfiguration: { level: level[rule?.severity ?? 'medium'] },
      properties: {
        tags: ['security', ...(rule?.references ?? []).map((ref) => ref.id)],
        'security-severity': securitySeverity[rule?.severity ?? 'medium'],
      },
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: 'https://github.com/mlsecops/mlsecops',
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            toolExecutionNotifications: report.files
              .filter((file) => file.errors.length > 0)
              .flatMap((file) =>
                file.errors.map((error) => ({
                  level: file.status === 'error' ? 'error' : 'warning',
                  message: { text: `${error.code}: ${error.message}` },
                  locations: [{ physicalLocation: { artifactLocation: { uri: toUri(file.path) } } }],
                })),
              ),
          },
        ],
        results: report.findings.map((finding) => result(finding, ruleIds.indexOf(finding.ruleId))),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(finding: Finding, ruleIndex: number) {
  const { path, member, offset } = finding.location;
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: toUri(path) } };
  // Offsets inside an archive member are not offsets in the file, so only top-level ones become regions.
  if (member === undefined && offset !== undefined) physicalLocation.region = { byteOffset: offset };
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: level[finding.severity],
    message: { text: `${finding.title}: ${finding.evidence}` },
    locations: [
      {
        physicalLocation,
        ...(member === undefined ? {} : { logicalLocations: [{ fullyQualifiedName: member, kind: 'member' }] }),
      },
    ],
    partialFingerprints: { 'mlsecops/v1': fingerprint(finding) },
    properties: {
      severity: finding.severity,
      category: finding.category,
      ...(member === undefined ? {} : { member }),
      ...(offset === undefined ? {} : { offset }),
      ...finding.properties,
    },
  };
}

function fingerprint(finding: Finding): string {
  return [
    finding.ruleId,
    finding.location.member ?? '',
    finding.properties?.global ?? finding.evidence.slice(0, 80),
  ].join('|');
}

function toUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}
