import type { DriftReport } from '../contracts/index.js';
import { driftReport, type ReferenceProfile, referenceProfileSchema } from '../drift/index.js';
import type { Database } from '../store/index.js';
import { Alerting } from './alerting.js';
import type { AlertMessage } from './alerts.js';
import { type Actor, type AuditSink, Incidents } from './incidents.js';
import { type MonitorSettings, monitorSettingsSchema } from './settings.js';
import { emptySignals, type GatewaySignals, gatewayWindow } from './window.js';

/** Sends one signed webhook; the server provides it (with its destination policy and retries). */
export type Notifier = (
  target: { url: string; secret: string },
  body: string,
) => Promise<{ delivered: boolean; error?: string }>;

export interface MonitorDeps {
  readonly database: Database;
  readonly audit: AuditSink;
  readonly notify: Notifier;
  readonly log?: { warn(details: object, message: string): void; error(details: object, message: string): void };
}

export interface CheckResult {
  readonly id: number;
  readonly model: string;
  readonly version: number;
  readonly source: 'gateway' | 'batch';
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly rows: number;
  readonly report?: DriftReport | undefined;
  readonly signals: GatewaySignals;
  /** Why no drift verdict was given (too few rows). */
  readonly skipped?: string | undefined;
  readonly alerts: readonly AlertMessage[];
}

/**
 * Production monitoring: reference profiles per model version, drift checks over windows of the
 * gateway's events and over uploaded batches, alert rules over the checks' metrics, webhooks, and
 * incidents opened when alerts fire.
 */
export class Monitor {
  readonly incidents: Incidents;
  readonly alerting: Alerting;

  constructor(private readonly deps: MonitorDeps) {
    this.incidents = new Incidents(deps.database, deps.audit);
    this.alerting = new Alerting(deps, this.incidents);
  }

  private get db() {
    return this.deps.database.db;
  }

  /** Sets (or replaces) the reference profile and window settings of a model version. */
  async setReference(
    model: string,
    version: number,
    profile: ReferenceProfile,
    settings: Partial<MonitorSettings>,
    actor: Actor,
  ): Promise<void> {
    const parsedProfile = referenceProfileSchema.parse(profile);
    if (parsedProfile.schemaVersion !== 2)
      throw new RangeError('the reference needs a version 2 profile (with sketches); profile the data again');
    const parsed = monitorSettingsSchema.parse(settings);
    const at = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('monitor_references').where('model', '=', model).where('version', '=', version).execute();
      await tx
        .insertInto('monitor_references')
        .values({
          model,
          version,
          profile: JSON.stringify(parsedProfile),
          settings: JSON.stringify(parsed),
          created_at: at,
        })
        .execute();
      await this.deps.audit.append(tx, {
        kind: 'monitor.reference-set',
        actor,
        details: { model, version, rows: parsedProfile.rows, columns: parsedProfile.columns.length },
      });
    });
  }

  /** The newest monitored version of each model (or of one). */
  async references(
    model?: string,
  ): Promise<{ model: string; version: number; profile: ReferenceProfile; settings: MonitorSettings }[]> {
    let query = this.db.selectFrom('monitor_references').selectAll().orderBy('model').orderBy('version', 'desc');
    if (model) query = query.where('model', '=', model);
    const seen = new Set<string>();
    const out = [];
    for (const row of await query.execute()) {
      if (seen.has(row.model)) continue;
      seen.add(row.model);
      out.push({
        model: row.model,
        version: row.version,
        profile: referenceProfileSchema.parse(JSON.parse(row.profile)),
        settings: monitorSettingsSchema.parse(JSON.parse(row.settings)),
      });
    }
    return out;
  }

  /** Checks every monitored model's gateway window now; the scheduler calls this. */
  async tick(now = new Date()): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const reference of await this.references()) {
      try {
        const window = await gatewayWindow(
          this.deps.database,
          reference.model,
          reference.profile,
          reference.settings,
          now,
        );
        results.push(
          await this.record(
            reference,
            'gateway',
            window.start,
            window.end,
            window.rows,
            window.profile,
            window.signals,
            now,
          ),
        );
      } catch (error) {
        this.deps.log?.error({ err: error, model: reference.model }, 'monitor check failed');
      }
    }
    return results;
  }

  /** Checks an uploaded batch (already profiled, typed like the reference) against the model's reference. */
  async checkBatch(model: string, profile: ReferenceProfile, now = new Date()): Promise<CheckResult> {
    const [reference] = await this.references(model);
    if (!reference) throw new RangeError(`model ${model} has no reference profile; set one first`);
    const at = now.toISOString();
    return this.record(reference, 'batch', at, at, profile.rows, profile, emptySignals(), now);
  }

  private async record(
    reference: { model: string; version: number; profile: ReferenceProfile; settings: MonitorSettings },
    source: 'gateway' | 'batch',
    start: string,
    end: string,
    rows: number,
    current: ReferenceProfile,
    signals: GatewaySignals,
    now: Date,
  ): Promise<CheckResult> {
    const enough = rows >= (source === 'batch' ? 1 : reference.settings.minRows);
    const report = enough
      ? driftReport(reference.profile, current, {
          shareThreshold: reference.settings.shareThreshold,
          tests: reference.settings.tests,
          referenceName: `${reference.model}@${reference.version}`,
          currentName: `${source} ${start}..${end}`,
          startedAt: now,
        })
      : undefined;
    const row = await this.db
      .insertInto('monitor_checks')
      .values({
        model: reference.model,
        version: reference.version,
        source,
        window_start: start,
        window_end: end,
        rows,
        share: report?.dataset.share ?? 0,
        drifted: report?.dataset.drifted ? 1 : 0,
        report: JSON.stringify(report ?? null),
        signals: JSON.stringify(signals),
        at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const alerts = await this.alerting.evaluate(reference.model, report, signals, now);
    return {
      id: Number(row.id),
      model: reference.model,
      version: reference.version,
      source,
      windowStart: start,
      windowEnd: end,
      rows,
      report,
      signals,
      skipped: enough ? undefined : `${rows} query instances in the window, fewer than ${reference.settings.minRows}`,
      alerts,
    };
  }

  /** The model's checks, newest first. */
  async checks(model: string, limit = 100) {
    const rows = await this.db
      .selectFrom('monitor_checks')
      .selectAll()
      .where('model', '=', model)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      model: row.model,
      version: row.version,
      source: row.source,
      windowStart: row.window_start,
      windowEnd: row.window_end,
      rows: row.rows,
      share: row.share,
      drifted: row.drifted === 1,
      at: row.at,
      report: JSON.parse(row.report) as DriftReport | null,
      signals: JSON.parse(row.signals) as GatewaySignals,
    }));
  }

  /**
   * Stores labels for earlier requests (by the gateway's request id, `#i` for the i-th instance of a
   * request with several); a label sent again replaces the first. The next window check scores them.
   */
  async addLabels(model: string, labels: readonly { requestId: string; label: string | number }[]): Promise<number> {
    const at = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      for (let start = 0; start < labels.length; start += 500) {
        const chunk = labels.slice(start, start + 500);
        await tx
          .deleteFrom('monitor_labels')
          .where('model', '=', model)
          .where(
            'request_id',
            'in',
            chunk.map((item) => item.requestId),
          )
          .execute();
        await tx
          .insertInto('monitor_labels')
          .values(chunk.map((item) => ({ model, request_id: item.requestId, label: JSON.stringify(item.label), at })))
          .execute();
      }
    });
    return labels.length;
  }
}
