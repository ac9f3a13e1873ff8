import { atlas, owaspMl, type RuleInfo } from '../contracts/index.js';
import type { Detector } from './detectors/types.js';
import { referencesFor } from './rules.js';

/** Rules of the data engine itself, beside one rule per detector. */
export const dataCoreRules = {
  'data.malformed-record': {
    title: 'Dataset record could not be parsed',
    severity: 'low',
    category: 'integrity',
    description: 'A record or the file does not follow its format; what could be read was scanned, the rest as text.',
    remediation: 'Check the tool that wrote the dataset.',
    references: [],
  },
  'data.not-scanned': {
    title: 'Dataset file was not scanned',
    severity: 'medium',
    category: 'integrity',
    description: 'The file is a dataset format this version does not read, so its content is unverified.',
    remediation: 'Convert it to CSV, JSON Lines or text to scan it, or scan it with a later version.',
    references: [atlas('AML.T0020'), owaspMl('ML02')],
  },
  'data.findings-truncated': {
    title: 'More matches than listed',
    severity: 'info',
    category: 'summary',
    description: 'A file had more matches of one detector than the per-file limit; the count is in the evidence.',
    remediation: 'Raise --max-findings-per-file to list them all.',
    references: [],
  },
} as const satisfies Record<string, RuleInfo>;

export type DataRuleId = keyof typeof dataCoreRules;

/** The catalog renderers use for data reports: the engine's rules and every detector's. */
export function dataCatalog(detectors: readonly Detector[]): Record<string, RuleInfo> {
  const catalog: Record<string, RuleInfo> = { ...dataCoreRules };
  for (const detector of detectors) {
    catalog[detector.id] = {
      title: detector.title,
      severity: detector.severity,
      category: detector.kind,
      description: detector.description,
      remediation: detector.remediation,
      references: referencesFor(detector),
    };
  }
  return catalog;
}
