import { formatTime } from './format.js';

export function Time({ iso }: { readonly iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}
