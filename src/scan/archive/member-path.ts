import type { ScanContext, ScanInput } from '../types.js';

/** Longer member names are refused by extractors or truncated differently by each: both are unsafe. */
const MAX_MEMBER_NAME = 1024;

/** Why a member name is unsafe to extract, or undefined. */
export function memberPathProblem(name: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'holds a NUL or control character';
  if (name.length > MAX_MEMBER_NAME) return `is ${name.length} characters long`;
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[a-zA-Z]:\//.test(normalized)) return 'is absolute';
  if (normalized.split('/').includes('..')) return 'climbs out with ..';
  return undefined;
}

/** Member names that would write outside the extraction folder (zip slip, tar traversal) or confuse extractors. */
export function checkMemberPath(ctx: ScanContext, input: ScanInput, name: string): void {
  const problem = memberPathProblem(name);
  if (!problem) return;
  ctx.report(input, {
    ruleId: 'archive.unsafe-member-path',
    evidence: `member name ${JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name)} ${problem}`,
    member: name.slice(0, MAX_MEMBER_NAME),
  });
}
