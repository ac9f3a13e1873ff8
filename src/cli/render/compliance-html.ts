import type { GateDecision } from '../../contracts/index.js';
import type { ComplianceReport } from '../compliance/assemble.js';
import { escapeHtml as e, scriptJson } from './html.js';

/** The element id the report's data is embedded under; `mlsecops report verify` reads it back. */
export const COMPLIANCE_DATA_ID = 'mlsecops-compliance';

const STATUS_LABEL = { met: 'Met', 'not-met': 'Not met', gap: 'No evidence' } as const;

const style = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--gap:#9a6700;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:32px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}.meta{color:var(--muted)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{background:var(--bg)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.met,.pass{background:var(--ok)}.not-met,.fail{background:var(--bad)}.gap,.skip{background:var(--gap)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:12px}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;margin:8px 0}.bar span{display:block}
ul.rules{margin:0;padding-left:18px}pre{background:var(--bg);padding:8px;overflow-x:auto;font-size:12px}
@media print{body{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
`;

const badge = (kind: string, label: string) => `<span class="badge ${kind}">${e(label)}</span>`;

function frameworkCards(report: ComplianceReport): string {
  return report.frameworks
    .map((framework) => {
      const total = framework.controls.length;
      const { counts } = framework;
      const width = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
      const bar = (['met', 'not-met', 'gap'] as const)
        .map((status) => `<span class="${status}" style="width:${width(counts[status])}"></span>`)
        .join('');
      return `<div class="card"><strong>${e(framework.title)}</strong>
<div class="bar" aria-hidden="true">${bar}</div>
<div>${counts.met} met · ${counts['not-met']} not met · ${counts.gap} without evidence</div></div>`;
    })
    .join('\n');
}

function frameworkTables(report: ComplianceReport): string {
  return report.frameworks
    .map((framework) => {
      const rows = framework.controls.map((control) => {
        const rules = control.rules
          .map((rule) => `<li>${rule.passed ? '✓' : '✗'} <code>${e(rule.id)}</code> — ${e(rule.reason)}</li>`)
          .join('');
        const findings = control.findings.length
          ? `<div>Findings: ${control.findings.map((id) => `<code>${e(id)}</code>`).join(', ')}</div>`
          : '';
        return `<tr><td class="mono">${e(control.id)}</td><td>${e(control.title)}</td><td>${badge(control.status, STATUS_LABEL[control.status])}</td><td>${rules ? `<ul class="rules">${rules}</ul>` : ''}${findings}</td></tr>`;
      });
      return `<h3><a href="${e(framework.url)}">${e(framework.title)}</a></h3>
<table><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Rules and findings</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    })
    .join('\n');
}

function decisionTable(decision: GateDecision): string {
  const rows = decision.rules.map((rule) => {
    const status = rule.skipped ? badge('skip', 'n/a') : rule.passed ? badge('pass', 'pass') : badge('fail', 'fail');
    return `<tr><td class="mono">${e(rule.id)}</td><td>${e(rule.title)}</td><td>${e(rule.severity)}</td><td>${status}</td><td>${e(rule.reason)}</td></tr>`;
  });
  return `<h3>${e(decision.policy.name)} ${decision.passed ? badge('pass', 'passes') : badge('fail', 'fails')}</h3>
<p class="meta mono">policy ${e(decision.policy.digest)}</p>
<table><thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Result</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function gaps(report: ComplianceReport): string {
  const items = report.frameworks.flatMap((framework) =>
    framework.controls
      .filter((control) => control.status !== 'met')
      .map(
        (control) =>
          `<li>${badge(control.status, STATUS_LABEL[control.status])} <strong>${e(control.id)}</strong> ${e(control.title)} <span class="meta">(${e(framework.title)})</span></li>`,
      ),
  );
  return items.length ? `<ul>${items.join('')}</ul>` : '<p>Every control is met.</p>';
}

/** The compliance report as one self-contained HTML page (no external assets), its data embedded. */
export function renderComplianceHtml(report: ComplianceReport): string {
  const { subject, evidence } = report;
  const title = `Compliance report: ${subject.model}@${subject.version}`;
  const records = report.records
    .map(
      (record) =>
        `<tr><td>${e(record.kind)}</td><td>${e(record.name)}</td><td class="mono">sha256:${e(record.digest)}</td><td>${e(record.createdAt)}</td><td>${e(record.createdBy ?? 'registry')}</td><td class="mono">${e(report.server + record.path)}</td></tr>`,
    )
    .join('');
  const stored = report.stored
    .map(
      (decision) =>
        `<tr><td>${e(decision.decidedAt)}</td><td>${e(decision.alias)}</td><td>${decision.passed ? badge('pass', 'passed') : badge('fail', 'blocked')}</td><td>${e(decision.requestedBy)}</td><td>${e(
          decision.checks
            .filter((check) => !check.passed)
            .map((check) => `${check.check}: ${check.detail}`)
            .join('; '),
        )}</td></tr>`,
    )
    .join('');
  const entries = report.audit.entries
    .map((entry) => {
      const parsed = JSON.parse(entry.entry) as { kind?: string; at?: string; actor?: unknown };
      return `<tr><td>${entry.index}</td><td>${e(parsed.at ?? '')}</td><td>${e(parsed.kind ?? '')}</td><td>${e(typeof parsed.actor === 'string' ? parsed.actor : JSON.stringify(parsed.actor ?? null))}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${style}</style></head><body>
<h1>${e(title)}</h1>
<p class="meta">Gated for alias <strong>${e(subject.alias)}</strong> · artifact <span class="mono">${e(evidence.subject.digest ?? 'unknown')}</span> · generated ${e(report.generatedAt)} from ${e(report.server)} by mlsecops ${e(report.tool.version)}</p>
<h2>Frameworks</h2><div class="cards">${frameworkCards(report)}</div>
<h2>Gaps and unmet controls</h2>${gaps(report)}
<h2>Controls</h2>${frameworkTables(report)}
<h2>Evidence</h2><p class="meta">Evidence document digest <span class="mono">${e(report.evidenceDigest)}</span>. Each document below is recorded, with its digest, in the audit log.</p>
<table><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Digest</th><th scope="col">Recorded</th><th scope="col">By</th><th scope="col">Where</th></tr></thead><tbody>${records}</tbody></table>
<h2>Policy decisions</h2>${report.decisions.map(decisionTable).join('\n')}
<h3>Promotion gate decisions stored by the registry</h3>${stored ? `<table><thead><tr><th scope="col">When</th><th scope="col">Alias</th><th scope="col">Result</th><th scope="col">Asked by</th><th scope="col">Failed checks</th></tr></thead><tbody>${stored}</tbody></table>` : '<p>None yet.</p>'}
<h2>Audit trail</h2>
<p>The ${report.audit.entries.length} audit entries about this version are included with proofs that they are in the registry's tamper-evident log, as of the signed checkpoint below (${report.audit.size} entries). Check this report offline with <code>mlsecops report verify &lt;this file&gt; --key &lt;audit key&gt;</code>.</p>
<table><thead><tr><th scope="col">Index</th><th scope="col">At</th><th scope="col">Event</th><th scope="col">Actor</th></tr></thead><tbody>${entries}</tbody></table>
<h3>Signed checkpoint</h3><pre>${e(report.audit.checkpoint)}</pre>
<h3>Audit key (${e(report.audit.key.name)})</h3><pre>${e(report.audit.key.pem)}</pre>
<script type="application/json" id="${COMPLIANCE_DATA_ID}">${scriptJson(report)}</script>
</body></html>
`;
}

/** The report data embedded in a rendered page (or the JSON form itself). */
export function readComplianceData(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const open = `<script type="application/json" id="${COMPLIANCE_DATA_ID}">`;
  const start = text.indexOf(open);
  const end = start < 0 ? -1 : text.indexOf('</script>', start);
  if (start < 0 || end < 0) throw new RangeError('no compliance data in this file');
  return JSON.parse(text.slice(start + open.length, end));
}
