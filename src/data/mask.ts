/**
 * Masks a matched value for evidence: enough to recognise it (the first and last characters, the
 * shape), never enough to use it. Short values keep one character.
 */
export function mask(value: string): string {
  const text = value.length > 64 ? `${value.slice(0, 60)}…` : value;
  if (text.length <= 4) return `${text[0] ?? ''}${'*'.repeat(Math.max(0, text.length - 1))}`;
  const keep = text.length <= 10 ? 1 : text.length <= 20 ? 2 : 4;
  const middle = text.slice(keep, text.length - keep).replace(/[A-Za-z0-9]/g, '*');
  return `${text.slice(0, keep)}${middle}${text.slice(text.length - keep)}`;
}
