/** Production monitoring: drift checks over gateway windows and batches, alerts, incidents. */

export { Alerting } from './alerting.js';
export type { AlertMessage } from './alerts.js';
export { holds, metricValue, webhookBody } from './alerts.js';
export type { Actor, AuditSink, Incident, IncidentStatus } from './incidents.js';
export { IncidentError, Incidents } from './incidents.js';
export type { CheckResult, MonitorDeps, Notifier } from './monitor.js';
export { Monitor } from './monitor.js';
export { operationalEvidence } from './operational.js';
export type { AlertRule, MonitorSettings, WebhookTarget } from './settings.js';
export { alertRuleSchema, monitorSettingsSchema, webhookTargetSchema } from './settings.js';
export type { GatewaySignals, GatewayWindow, Performance } from './window.js';
export { gatewayWindow, predictionValue } from './window.js';
