import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';

/**
 * A virtualized list of row buttons with one roving tab stop: Tab enters the list once; arrow keys,
 * Home, End and Page Up/Down move through it; the target row is scrolled into view first and focused
 * once it is rendered, and the selection follows.
 */
export function useRovingList<T>({
  items,
  rowHeight,
  selectedIndex,
  onSelect,
}: {
  readonly items: readonly T[];
  readonly rowHeight: number;
  readonly selectedIndex: number;
  readonly onSelect: (item: T) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | undefined>(undefined);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const tabIndex = Math.max(0, selectedIndex);

  useEffect(() => {
    if (pendingFocus.current === undefined) return;
    const row = scroller.current?.querySelector<HTMLButtonElement>(`[data-index="${pendingFocus.current}"] button`);
    if (!row) return;
    row.focus({ preventScroll: true });
    pendingFocus.current = undefined;
  });

  const move = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next: number | undefined;
    if (event.key in steps) next = tabIndex + (steps[event.key] ?? 0);
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = items.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(items.length - 1, Math.max(0, next));
    virtualizer.scrollToIndex(index, { align: 'auto' });
    pendingFocus.current = index;
    const target = items[index];
    if (target !== undefined) onSelect(target);
  };

  return { scroller, virtualizer, move, tabIndex };
}
