import type { Report, RuleInfo } from '../../contracts/index.js';
import { rules } from '../../scan/index.js';
import type { outputFormats } from '../settings.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export type OutputFormat = (typeof outputFormats)[number];

export function renderReport(
  report: Report,
  format: OutputFormat,
  options: { colour: boolean; catalog?: Readonly<Record<string, RuleInfo>> },
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return renderSarif(report, options.catalog ?? rules);
    case 'markdown':
      return renderMarkdown(report);
    default:
      return renderTable(report, options);
  }
}
