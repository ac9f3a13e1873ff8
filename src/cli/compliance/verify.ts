import { createPublicKey } from 'node:crypto';
import { leafHash, parseCheckpoint, verifyInclusion, verifyNote } from '../../audit/index.js';
import { evidenceDigest } from '../../policy/index.js';
import type { ComplianceReport } from './assemble.js';

export interface ComplianceVerdict {
  readonly ok: boolean;
  /** What was checked and held, one line each. */
  readonly checked: readonly string[];
  /** What failed; empty when ok. */
  readonly problems: readonly string[];
}

/**
 * Checks a compliance report offline: the checkpoint is signed by the audit key (give the key
 * obtained out of band; the key the report carries only shows the report is self-consistent), every
 * audit entry it quotes is in the signed log (inclusion proofs), every evidence digest it lists was
 * recorded in one of those entries, and every decision was taken on the evidence it carries.
 */
export function verifyCompliance(report: ComplianceReport, trustedKeyPem?: string): ComplianceVerdict {
  const checked: string[] = [];
  const problems: string[] = [];
  const pem = trustedKeyPem ?? report.audit.key.pem;
  let note: { body: string } | undefined;
  try {
    note = verifyNote(report.audit.checkpoint, { name: report.audit.key.name, publicKey: createPublicKey(pem) });
  } catch (error) {
    problems.push(`the audit key is unusable: ${(error as Error).message}`);
  }
  if (!note) {
    problems.push('the audit checkpoint is not validly signed by the audit key');
    return { ok: false, checked, problems };
  }
  checked.push(
    `audit checkpoint signed by ${report.audit.key.name}${trustedKeyPem ? ' (trusted key given)' : ' (key carried by the report; pass --key to check against a key you trust)'}`,
  );
  const checkpoint = parseCheckpoint(note.body);
  if (checkpoint.origin !== report.audit.origin)
    problems.push(`checkpoint origin ${checkpoint.origin} is not ${report.audit.origin}`);
  const recorded = new Set<string>();
  let included = 0;
  for (const { index, entry, proof } of report.audit.entries) {
    const ok = verifyInclusion(
      leafHash(Buffer.from(entry, 'utf8')),
      index,
      checkpoint.size,
      proof.map((hash) => Buffer.from(hash, 'base64')),
      checkpoint.root,
    );
    if (!ok) {
      problems.push(`audit entry ${index} is not in the signed log`);
      continue;
    }
    included++;
    const details = (JSON.parse(entry) as { details?: Record<string, unknown> }).details ?? {};
    for (const field of ['report', 'digest']) if (typeof details[field] === 'string') recorded.add(details[field]);
  }
  checked.push(
    `${included} audit entries about ${report.subject.model}@${report.subject.version} are in the signed log of ${checkpoint.size}`,
  );
  const unrecorded = report.records.filter((record) => !recorded.has(record.digest));
  if (unrecorded.length > 0) {
    problems.push(
      `evidence not recorded in the audit log: ${unrecorded.map((r) => `${r.kind} ${r.name} ${r.digest}`).join(', ')}`,
    );
  } else {
    checked.push(`${report.records.length} evidence digests each recorded in an included audit entry`);
  }
  const digest = evidenceDigest(report.evidence);
  if (digest !== report.evidenceDigest) problems.push('the evidence document does not match its digest');
  const stale = report.decisions.filter((decision) => decision.evidenceDigest !== digest);
  if (stale.length > 0)
    problems.push(`decisions not taken on this evidence: ${stale.map((d) => d.policy.name).join(', ')}`);
  else checked.push(`${report.decisions.length} policy decisions taken on evidence ${digest}`);
  return { ok: problems.length === 0, checked, problems };
}
