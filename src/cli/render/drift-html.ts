import type { TopLevelSpec } from 'vega-lite';
import type { DriftReport } from '../../contracts/index.js';
import { columnHistogram, formatNumber, type ReferenceProfile } from '../../drift/index.js';
import { multivariateLine } from './drift-text.js';
import { escapeHtml } from './html.js';

/** The chart libraries, loaded when a report is drawn: the CLI starts faster without them. */
async function chartLibraries() {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  // No chart reads anything from outside the report: every value is inline.
  const loader = vega.loader();
  loader.load = async () => {
    throw new Error('drift charts load nothing');
  };
  return { vega, compile: vegaLite.compile, loader };
}

/** One column's reference and current distributions as an SVG bar chart (Vega-Lite, rendered here). */
async function chart(
  libraries: Awaited<ReturnType<typeof chartLibraries>>,
  reference: ReferenceProfile['columns'][number],
  current: ReferenceProfile['columns'][number],
): Promise<string> {
  const { vega, compile, loader } = libraries;
  const histogram = columnHistogram(reference, current);
  const values = histogram.labels.flatMap((label, i) => [
    { label, order: i, side: 'reference', share: histogram.reference[i] },
    { label, order: i, side: 'current', share: histogram.current[i] },
  ]);
  const spec: TopLevelSpec = {
    width: Math.min(900, Math.max(300, histogram.labels.length * 28)),
    height: 160,
    data: { values },
    mark: { type: 'bar', opacity: 0.85 },
    encoding: {
      x: {
        field: 'label',
        type: 'ordinal',
        sort: { field: 'order' },
        title: histogram.kind === 'bins' ? `${reference.name} (bin start)` : reference.name,
        axis: { labelAngle: -45, labelLimit: 90 },
      },
      xOffset: { field: 'side', sort: ['reference', 'current'] },
      y: { field: 'share', type: 'quantitative', title: 'share of values', axis: { format: '%' } },
      color: {
        field: 'side',
        type: 'nominal',
        scale: { domain: ['reference', 'current'], range: ['#7a8ca3', '#d9534f'] },
        title: null,
      },
    },
    config: { font: 'system-ui, sans-serif', view: { stroke: null } },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', loader });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/**
 * The drift report as one self-contained HTML page: the verdict, a table of every column, and for each
 * drifted column its reference and current distributions as an inline SVG chart.
 */
export async function renderDriftHtml(
  report: DriftReport,
  reference: ReferenceProfile,
  current: ReferenceProfile,
): Promise<string> {
  const byName = (profile: ReferenceProfile) => new Map(profile.columns.map((column) => [column.name, column]));
  const ref = byName(reference);
  const cur = byName(current);
  const rows = report.columns
    .map(
      (column) =>
        `<tr class="${column.drifted ? 'drift' : ''}"><td>${escapeHtml(column.column)}</td><td>${column.type}</td>` +
        `<td>${column.status === 'tested' ? `${column.test}${column.approximate ? '~' : ''}` : column.status}</td>` +
        `<td class="n">${formatNumber(column.statistic)}</td><td class="n">${formatNumber(column.pValue)}</td>` +
        `<td class="n">${column.threshold ?? ''}</td><td>${column.drifted ? 'DRIFT' : 'ok'}</td>` +
        `<td class="n">${column.current.missing + column.current.infinite}/${column.current.count}</td>` +
        `<td>${escapeHtml(column.notes.join('; '))}</td></tr>`,
    )
    .join('\n');
  const charts: string[] = [];
  let loaded: Awaited<ReturnType<typeof chartLibraries>> | undefined;
  const libraries = async () => {
    loaded ??= await chartLibraries();
    return loaded;
  };
  for (const column of report.columns.filter((item) => item.drifted && item.status === 'tested')) {
    const before = ref.get(column.column);
    const after = cur.get(column.column);
    if (!before || !after) continue;
    charts.push(
      `<section><h3>${escapeHtml(column.column)}</h3><p>${column.test} ${formatNumber(column.statistic)}${column.pValue === undefined ? '' : `, p = ${formatNumber(column.pValue)}`} (threshold ${column.threshold})</p>${await chart(await libraries(), before, after)}</section>`,
    );
  }
  const { dataset } = report;
  const tested = report.columns.filter((column) => column.status !== 'empty').length;
  const drifted = report.columns.filter((column) => column.drifted).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Drift: ${escapeHtml(report.current)} against ${escapeHtml(report.reference)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2733}
h1{font-size:1.4rem}.verdict{font-size:1.1rem;padding:.6rem .9rem;border-radius:6px;background:#e8f3ea}
.verdict.drift{background:#fbe9e8}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #e3e7ec;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.drift td{background:#fff5f4}
section{margin:1.5rem 0}svg{max-width:100%;height:auto}.meta{color:#5b6775}
</style></head><body>
<h1>Drift report</h1>
<p class="meta">Reference <code>${escapeHtml(report.reference)}</code> · current <code>${escapeHtml(report.current)}</code> · ${escapeHtml(report.finishedAt)} · mlsecops ${escapeHtml(report.tool.version)}</p>
<p class="verdict ${dataset.drifted ? 'drift' : ''}">${dataset.drifted ? 'Dataset drift' : 'No dataset drift'}: ${drifted} of ${tested} columns drifted (share ${formatNumber(dataset.share)}; ${escapeHtml(dataset.rule)}).</p>
<table><thead><tr><th>column</th><th>type</th><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>verdict</th><th>missing+inf</th><th>notes</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${report.multivariate ? `<p class="verdict ${report.multivariate.drifted ? 'drift' : ''}">${escapeHtml(multivariateLine(report.multivariate))}</p>` : ''}
${report.columns.some((column) => column.approximate) ? '<p class="meta">~ computed from sketches (beyond the exact limit): approximate.</p>' : ''}
${charts.length > 0 ? `<h2>Drifted columns</h2>\n${charts.join('\n')}` : ''}
</body></html>
`;
}
