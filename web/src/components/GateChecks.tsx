/** The checks of a gate evaluation, each with whether it passed and why. */
export function GateChecks({
  checks,
}: {
  readonly checks: readonly { readonly check: string; readonly passed: boolean; readonly detail: string }[];
}) {
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li key={check.check} className={check.passed ? 'check-pass' : 'check-fail'}>
          <span className="check-icon" aria-hidden="true">
            {check.passed ? '✓' : '✕'}
          </span>
          <span className="check-name">{check.check}</span>
          <span className="sr-only">{check.passed ? 'passes' : 'fails'}:</span>
          <span className="check-detail">{check.detail}</span>
        </li>
      ))}
    </ul>
  );
}
