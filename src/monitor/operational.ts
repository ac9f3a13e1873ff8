import type { Evidence, Severity } from '../contracts/index.js';
import type { Database } from '../store/index.js';

/**
 * What production says about a model version, for gates: its open (unresolved) incidents by
 * severity, whether the version is monitored, and the newest drift check of that version. Incidents are per model: an incident on any
 * version of a model holds back the promotion of every version until it is resolved.
 */
export async function operationalEvidence(
  database: Database,
  model: string,
  version: number,
): Promise<Pick<Evidence, 'incidents' | 'drift' | 'monitoring'>> {
  const open = await database.db
    .selectFrom('incidents')
    .select(['severity'])
    .where('model', '=', model)
    .where('status', '!=', 'resolved')
    .execute();
  const openBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const incident of open) openBySeverity[incident.severity as Severity]++;
  const check = await database.db
    .selectFrom('monitor_checks')
    .select(['share', 'drifted', 'at'])
    .where('model', '=', model)
    .where('version', '=', version)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const reference = await database.db
    .selectFrom('monitor_references')
    .select('id')
    .where('model', '=', model)
    .where('version', '=', version)
    .executeTakeFirst();
  return {
    monitoring: { monitored: reference !== undefined },
    incidents: { open: open.length, openBySeverity },
    drift: check
      ? { checked: true, drifted: check.drifted === 1, share: check.share, checkedAt: check.at }
      : { checked: false, drifted: false, share: 0, checkedAt: '' },
  };
}
