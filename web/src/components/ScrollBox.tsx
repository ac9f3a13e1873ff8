import type { ReactNode } from 'react';

/**
 * A labelled block that scrolls on its own (a long document, the lineage graph). It takes focus so
 * keyboard users can scroll it too (WCAG 2.1.1); its label names it as a region for screen readers.
 */
export function ScrollBox({
  label,
  className,
  children,
}: {
  readonly label: string;
  readonly className: string;
  readonly children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className={className} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
