import type { DriftReport } from '../contracts/index.js';
import { type AlertMessage, holds, metricValue, webhookBody } from './alerts.js';
import type { Actor, Incidents } from './incidents.js';
import type { MonitorDeps } from './monitor.js';
import { type AlertRule, alertRuleSchema, type WebhookTarget } from './settings.js';
import type { GatewaySignals } from './window.js';

/**
 * Alert rules, the alerts they raise per model, their webhooks, and the incidents they open. The
 * monitor hands every check's values to `evaluate`.
 */
export class Alerting {
  constructor(
    private readonly deps: MonitorDeps,
    private readonly incidents: Incidents,
  ) {}

  private get db() {
    return this.deps.database.db;
  }

  async putRule(input: unknown, actor: Actor): Promise<AlertRule> {
    const rule = alertRuleSchema.parse(input);
    const at = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('alert_rules').select('id').where('name', '=', rule.name).executeTakeFirst();
      if (existing)
        await tx
          .updateTable('alert_rules')
          .set({ definition: JSON.stringify(rule) })
          .where('id', '=', existing.id)
          .execute();
      else
        await tx
          .insertInto('alert_rules')
          .values({ name: rule.name, definition: JSON.stringify(rule), created_at: at })
          .execute();
      // Secrets stay out of the trail.
      await this.deps.audit.append(tx, {
        kind: 'monitor.rule-set',
        actor,
        details: { ...rule, webhooks: rule.webhooks.map((hook) => ({ url: hook.url, format: hook.format })) },
      });
    });
    return rule;
  }

  async rules(): Promise<(AlertRule & { id: number })[]> {
    const rows = await this.db.selectFrom('alert_rules').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ id: Number(row.id), ...alertRuleSchema.parse(JSON.parse(row.definition)) }));
  }

  async alerts(state?: 'pending' | 'firing' | 'resolved') {
    let query = this.db
      .selectFrom('alerts')
      .innerJoin('alert_rules', 'alert_rules.id', 'alerts.rule_id')
      .select([
        'alerts.id',
        'alert_rules.name as rule',
        'alerts.model',
        'alerts.state',
        'alerts.value',
        'alerts.since',
        'alerts.fired_at',
        'alerts.resolved_at',
        'alerts.incident_id',
      ])
      .orderBy('alerts.id', 'desc')
      .limit(500);
    if (state) query = query.where('alerts.state', '=', state);
    return query.execute();
  }

  /**
   * Applies every rule for the model to a check's values. An alert is pending while its condition
   * holds for less than `forSeconds`, fires once when it has held long enough (webhooks, incident),
   * and resolves once when it stops holding (webhooks). A check without the metric's value leaves the
   * alert as it is. One open alert per rule and model: repeats are not sent again.
   */
  async evaluate(
    model: string,
    report: DriftReport | undefined,
    signals: GatewaySignals,
    now: Date,
  ): Promise<AlertMessage[]> {
    const messages: AlertMessage[] = [];
    for (const rule of await this.rules()) {
      if (rule.model !== '*' && rule.model !== model) continue;
      const value = metricValue(rule.metric, report, signals);
      if (value === undefined) continue;
      const open = await this.db
        .selectFrom('alerts')
        .selectAll()
        .where('rule_id', '=', rule.id)
        .where('model', '=', model)
        .where('state', '!=', 'resolved')
        .executeTakeFirst();
      const at = now.toISOString();
      if (holds(rule, value)) {
        const since = open?.since ?? at;
        const firing = now.getTime() - Date.parse(since) >= rule.forSeconds * 1000;
        if (!open) {
          await this.db
            .insertInto('alerts')
            .values({
              rule_id: rule.id,
              model,
              state: firing ? 'firing' : 'pending',
              value,
              since,
              fired_at: firing ? at : null,
              resolved_at: null,
              incident_id: null,
            })
            .execute();
        } else {
          await this.db
            .updateTable('alerts')
            .set({ value, ...(firing && open.state === 'pending' ? { state: 'firing', fired_at: at } : {}) })
            .where('id', '=', open.id)
            .execute();
        }
        if (firing && open?.state !== 'firing') messages.push(await this.fire(rule, model, value, since, at));
      } else if (open) {
        await this.db
          .updateTable('alerts')
          .set({ state: 'resolved', resolved_at: at, value })
          .where('id', '=', open.id)
          .execute();
        if (open.state === 'firing') {
          const message: AlertMessage = {
            ...this.message(rule, model, value, open.since, at, open.incident_id),
            kind: 'alert.resolved',
          };
          if (open.incident_id !== null)
            await this.incidents.note(
              open.incident_id,
              `alert ${rule.name} resolved: ${rule.metric} = ${value}`,
              null,
              'alert-resolved',
            );
          await this.send(rule.webhooks, message);
          messages.push(message);
        }
      }
    }
    return messages;
  }

  private async fire(
    rule: AlertRule & { id: number },
    model: string,
    value: number,
    since: string,
    at: string,
  ): Promise<AlertMessage> {
    let incident: number | null = null;
    if (rule.openIncident) {
      // One incident per rule and model while it is not resolved: a new firing is noted on it.
      const existing = await this.db
        .selectFrom('incidents')
        .select('id')
        .where('source', '=', `alert:${rule.name}`)
        .where('model', '=', model)
        .where('status', '!=', 'resolved')
        .executeTakeFirst();
      const note = `${rule.metric} = ${value} (${rule.op} ${rule.threshold}) since ${since}`;
      if (existing) {
        incident = Number(existing.id);
        await this.incidents.note(incident, `alert ${rule.name} fired again: ${note}`, null, 'alert-fired');
      } else {
        incident = await this.incidents.open(
          {
            title: `${rule.name} on ${model}`,
            model,
            severity: rule.severity,
            source: `alert:${rule.name}`,
            note: `alert ${rule.name} fired: ${note}`,
          },
          null,
        );
      }
    }
    await this.db
      .updateTable('alerts')
      .set({ incident_id: incident })
      .where('rule_id', '=', rule.id)
      .where('model', '=', model)
      .where('state', '=', 'firing')
      .execute();
    const message = this.message(rule, model, value, since, at, incident);
    await this.send(rule.webhooks, message);
    return message;
  }

  private message(
    rule: AlertRule,
    model: string,
    value: number | null,
    since: string,
    at: string,
    incident: number | null,
  ): AlertMessage {
    return {
      kind: 'alert.firing',
      rule: rule.name,
      model,
      metric: rule.metric,
      value,
      op: rule.op,
      threshold: rule.threshold,
      severity: rule.severity,
      since,
      at,
      incident,
    };
  }

  private async send(targets: readonly WebhookTarget[], message: AlertMessage): Promise<void> {
    for (const target of targets) {
      const result = await this.deps
        .notify(target, webhookBody(message, target))
        .catch((error: Error) => ({ delivered: false, error: error.message }));
      if (!result.delivered)
        this.deps.log?.warn(
          { url: target.url, rule: message.rule, error: result.error },
          'alert webhook not delivered',
        );
    }
  }
}
