import type { ColumnType, Generated } from 'kysely';

/**
 * The registry's tables, one type for SQLite and PostgreSQL. Times are ISO-8601 strings (UTC) and
 * JSON is text, so both databases store and return the same values.
 */
export interface RegistrySchema {
  principals: PrincipalTable;
  tokens: TokenTable;
  role_bindings: RoleBindingTable;
  models: ModelTable;
  model_versions: ModelVersionTable;
  aliases: AliasTable;
  alias_history: AliasHistoryTable;
  audit_entries: AuditEntryTable;
  approvals: ApprovalTable;
  gate_results: GateResultTable;
  audit_head: AuditHeadTable;
  gateway_events: GatewayEventTable;
  monitor_references: MonitorReferenceTable;
  monitor_checks: MonitorCheckTable;
  alert_rules: AlertRuleTable;
  alerts: AlertTable;
  incidents: IncidentTable;
  incident_events: IncidentEventTable;
  monitor_labels: MonitorLabelTable;
  version_evidence: VersionEvidenceTable;
}

/** A document attached to a version as evidence; `summary` and `document` are JSON. */
export interface VersionEvidenceTable {
  id: Generated<number>;
  version_id: number;
  kind: string;
  name: string;
  digest: string;
  summary: string;
  document: string;
  created_at: string;
  created_by: number | null;
}

/** A monitored model version: its reference profile (JSON) and window settings (JSON). */
export interface MonitorReferenceTable {
  id: Generated<number>;
  model: string;
  version: number;
  profile: string;
  settings: string;
  created_at: string;
}

/** One drift check; `report` is the drift report (JSON), `signals` the gateway's security counts (JSON). */
export interface MonitorCheckTable {
  id: Generated<number>;
  model: string;
  version: number;
  source: 'gateway' | 'batch';
  window_start: string;
  window_end: string;
  rows: number;
  share: number;
  drifted: number;
  report: string;
  signals: string;
  at: string;
}

/** An alert rule; `definition` is its JSON. */
export interface AlertRuleTable {
  id: Generated<number>;
  name: string;
  definition: string;
  created_at: string;
}

export interface AlertTable {
  id: Generated<number>;
  rule_id: number;
  model: string;
  state: 'pending' | 'firing' | 'resolved';
  value: number | null;
  since: string;
  fired_at: string | null;
  resolved_at: string | null;
  incident_id: number | null;
}

export interface IncidentTable {
  id: Generated<number>;
  title: string;
  model: string | null;
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  opened_at: string;
  updated_at: string;
  /** `alert:<rule>` or `manual`. */
  source: string;
}

/** An incident's timeline: opened, alert fired again, acknowledged, note, resolved. */
export interface IncidentEventTable {
  id: Generated<number>;
  incident_id: number;
  at: string;
  kind: string;
  actor: string | null;
  note: string;
}

/** The audit log's size, in one row (`id` 1). */
export interface AuditHeadTable {
  id: number;
  size: number;
}

/** One person's decision on one version: approve or reject, once each. */
export interface ApprovalTable {
  id: Generated<number>;
  version_id: number;
  principal_id: number;
  decision: 'approve' | 'reject';
  comment: string;
  decided_at: string;
}

/** Every promotion attempt's gate verdict, kept as evidence on the version. */
export interface GateResultTable {
  id: Generated<number>;
  version_id: number;
  alias: string;
  passed: number;
  /** JSON list of { check, passed, detail }. */
  checks: string;
  decided_at: string;
  requested_by: number;
  /** JSON of the policy engine's decision (absent for gates evaluated before 0007). */
  decision: string | null;
}

/** A user or a service account. */
export interface PrincipalTable {
  id: Generated<number>;
  name: string;
  kind: 'user' | 'service';
  created_at: string;
  disabled: ColumnType<number, number | undefined, number>;
}

/** An API token: only its SHA-256 is stored; the secret is shown once, at creation. */
export interface TokenTable {
  id: Generated<number>;
  principal_id: number;
  /** First characters of the token, to tell tokens apart in listings without revealing them. */
  prefix: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** A role of a principal on one model (`scope` = its name) or on every model (`*`). */
export interface RoleBindingTable {
  id: Generated<number>;
  principal_id: number;
  scope: string;
  role: 'reader' | 'publisher' | 'approver' | 'admin';
}

export interface ModelTable {
  id: Generated<number>;
  name: string;
  description: string;
  created_at: string;
  created_by: number;
}

export interface ModelVersionTable {
  id: Generated<number>;
  model_id: number;
  /** Server-assigned, 1, 2, 3… per model. */
  number: number;
  status: 'quarantined' | 'available' | 'rejected' | 'deleted';
  artifact_digest: string | null;
  artifact_size: number | null;
  metadata: string;
  created_at: string;
  created_by: number;
}

/** Where an alias (`staging`, `production`, custom) points now. */
export interface AliasTable {
  model_id: number;
  name: string;
  version_id: number;
  updated_at: string;
}

/** Every move of every alias, kept: which version was `production` when. */
export interface AliasHistoryTable {
  id: Generated<number>;
  model_id: number;
  name: string;
  version_id: number | null;
  moved_at: string;
  moved_by: number;
}

/** The audit log's entries in order; the Merkle tree over them makes edits detectable. */
export interface AuditEntryTable {
  seq: number;
  at: string;
  kind: string;
  actor: number | null;
  /** Canonical JSON of the entry: exactly the bytes the tree hashes. */
  body: string;
}

/** The gateway's per-request events, as the monitor reads them; JSON columns hold text. */
export interface GatewayEventTable {
  id: Generated<number>;
  at: string;
  model: string;
  caller: string | null;
  status: number;
  latency_ms: number;
  /** JSON array of verdict strings. */
  verdicts: string;
  body_sha256: string | null;
  /** JSON object of abuse scores, or null. */
  scores: string | null;
  /** JSON array of query instances, or null. */
  inputs: string | null;
  /** JSON array of the answer's predictions, or null. */
  outputs: ColumnType<string | null, string | null | undefined, string | null>;
  request_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The true outcome of a request, sent later; `label` is JSON (a number or a string). */
export interface MonitorLabelTable {
  id: Generated<number>;
  model: string;
  /** The gateway request id, with `#<i>` for the i-th instance of a request that sent several. */
  request_id: string;
  label: string;
  at: string;
}
