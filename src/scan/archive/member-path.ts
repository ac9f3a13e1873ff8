import type { ScanContext, ScanInput } from '../types.js';

/** Member names that would write outside the extraction folder (zip slip, tar traversal). */
export function checkMemberPath(ctx: ScanContext, input: ScanInput, name: string): void {
  const normalized = name.replace(/\\/g, '/');
  const absolute = normalized.startsWith('/') || /^[a-zA-Z]:\//.test(normalized);
  const climbs = normalized.split('/').includes('..');
  if (!absolute && !climbs) return;
  ctx.report(input, {
    ruleId: 'archive.unsafe-member-path',
    evidence: `member name ${JSON.stringify(name)} is ${absolute ? 'absolute' : 'climbing out with ..'}`,
    member: name,
  });
}
