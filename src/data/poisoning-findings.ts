import type { Finding } from '../contracts/index.js';
import { dataCoreRules, poisoningRules } from './catalog.js';
import type { PoisoningResult } from './poisoning/index.js';

const listedRows = 20;
const maxRowList = 1000;

/** Turns poisoning indicators into findings: the first row as the location, every row in the evidence. */
export function poisoningFindings(path: string, analysis: PoisoningResult): Finding[] {
  const findings: Finding[] = analysis.indicators.map((indicator) => {
    const ruleId = `poisoning.${indicator.indicator}` as const;
    const rule = poisoningRules[ruleId];
    const rows = indicator.rows;
    const shown =
      rows.length > 0
        ? `; rows ${rows.slice(0, listedRows).join(', ')}${rows.length > listedRows ? `, … (${rows.length})` : ''}`
        : '';
    return {
      ruleId,
      title: rule.title,
      severity: indicator.severity,
      category: rule.category,
      location: {
        path,
        ...(rows[0] === undefined ? {} : { row: rows[0] }),
        ...(indicator.column === undefined ? {} : { column: indicator.column }),
      },
      evidence: `${indicator.detail}${shown}`,
      remediation: rule.remediation,
      references: [...rule.references],
      properties: {
        ...indicator.properties,
        score: Math.round(indicator.score * 1000) / 1000,
        rows: rows.length,
        // Every row for tools and policies, bounded; the evidence shows the first few.
        rowList: rows.slice(0, maxRowList).join(','),
      },
    };
  });
  if (analysis.notes.length > 0) {
    const rule = dataCoreRules['data.poisoning-notes'];
    findings.push({
      ruleId: 'data.poisoning-notes',
      title: rule.title,
      severity: rule.severity,
      category: rule.category,
      location: { path },
      evidence: analysis.notes.join('; '),
      remediation: rule.remediation,
      references: [],
    });
  }
  return findings;
}
