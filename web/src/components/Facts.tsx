import type { ReactNode } from 'react';

/** A definition list of label/value pairs, each pair grouped (as HTML allows) for the grid layout. */
export function Facts({ children }: { readonly children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({
  label,
  children,
  className,
}: {
  readonly label: ReactNode;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  return (
    <div className="facts-row">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
