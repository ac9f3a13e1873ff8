/**
 * A tiny signal for "something changed on the server because of this tab" (an approval, a promotion,
 * an incident note): views that summarize server state, such as the audit log's verification,
 * re-check when it fires instead of waiting for their next periodic check.
 */
const target = new EventTarget();

export function announceChange(): void {
  target.dispatchEvent(new Event('change'));
}

export function onChange(listener: () => void): () => void {
  target.addEventListener('change', listener);
  return () => target.removeEventListener('change', listener);
}
