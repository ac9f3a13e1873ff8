import { type ReactNode, useId } from 'react';

/** A titled section of a page; its heading names the region for screen readers. */
export function Panel({
  title,
  actions,
  children,
  className = '',
}: {
  readonly title: ReactNode;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  const id = useId();
  return (
    <section className={`panel ${className}`} aria-labelledby={id}>
      <header className="panel-header">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** A page's title row with optional breadcrumbs and actions. */
export function PageHeader({
  title,
  crumbs,
  children,
}: {
  readonly title: ReactNode;
  readonly crumbs?: ReactNode;
  readonly children?: ReactNode;
}) {
  return (
    <div className="page-header">
      {crumbs ? (
        <nav aria-label="Breadcrumb" className="crumbs">
          {crumbs}
        </nav>
      ) : null}
      <div className="page-title-row">
        <h1>{title}</h1>
        {children ? <div className="page-title-actions">{children}</div> : null}
      </div>
    </div>
  );
}
