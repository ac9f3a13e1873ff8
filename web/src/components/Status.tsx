import type { ReactNode } from 'react';
import { messageOf } from '../api/client.js';
import type { Resource } from '../api/resource.js';

export function Loading({ label = 'Loading' }: { readonly label?: string }) {
  return (
    <output className="loading" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </output>
  );
}

export function ErrorNotice({ error, onRetry }: { readonly error: unknown; readonly onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>Could not load this.</strong> {messageOf(error)}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-hint">{children}</div> : null}
    </div>
  );
}

/** Renders a resource: a spinner while it first loads, the error with a retry, then the data. */
export function Async<T>({
  resource,
  label,
  children,
}: {
  readonly resource: Resource<T>;
  readonly label?: string;
  readonly children: (data: T) => ReactNode;
}) {
  if (resource.state === 'error') return <ErrorNotice error={resource.error} onRetry={resource.reload} />;
  if (resource.data === undefined) return <Loading {...(label ? { label } : {})} />;
  return <>{children(resource.data)}</>;
}
