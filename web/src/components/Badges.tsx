import type { Severity, VersionStatus } from '../api/types.js';

/** Severity as a coloured badge that also says it in words (colour is never the only signal). */
export function SeverityBadge({ severity }: { readonly severity: Severity | string }) {
  return <span className={`badge sev sev-${severity}`}>{severity}</span>;
}

const statusText: Record<VersionStatus, string> = {
  available: 'available',
  quarantined: 'quarantined',
  rejected: 'rejected',
  deleted: 'deleted',
};

export function VersionStatusBadge({ status }: { readonly status: VersionStatus }) {
  return <span className={`badge status status-${status}`}>{statusText[status] ?? status}</span>;
}

export function PassBadge({
  passed,
  yes = 'passed',
  no = 'blocked',
}: {
  readonly passed: boolean;
  readonly yes?: string;
  readonly no?: string;
}) {
  return (
    <span className={`badge ${passed ? 'pass' : 'fail'}`}>
      <span aria-hidden="true">{passed ? '✓ ' : '✕ '}</span>
      {passed ? yes : no}
    </span>
  );
}

export function Tag({ children }: { readonly children: string }) {
  return <span className="tag">{children}</span>;
}
