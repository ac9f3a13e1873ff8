/**
 * The API's response shapes, as the server's route schemas define them (src/server/routes). Evidence
 * vocabulary (findings, severities, drift reports, gate decisions) comes from src/contracts, the one
 * definition every face shares; only types are imported, so no schema code reaches the bundle.
 */
import type { DriftReport, Finding, GateDecision, Severity } from '../../../src/contracts/index.js';

export type { DriftReport, Finding, GateDecision, Severity };

/** Most severe first: the order every list and facet uses. */
export const severityOrder = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Severity[];

export interface Me {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  readonly bindings: readonly { readonly scope: string; readonly role: string }[];
  readonly permissions: readonly string[];
}

export interface Model {
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
}

export type VersionStatus = 'quarantined' | 'available' | 'rejected' | 'deleted';

export interface Version {
  readonly number: number;
  readonly status: VersionStatus;
  readonly digest: string | null;
  readonly size: number | null;
  readonly createdAt: string;
  readonly scan?: { readonly findings: number; readonly worst?: string; readonly rules: readonly string[] };
  readonly signature?: {
    readonly verified: boolean;
    readonly signer: string;
    readonly subject: string;
    readonly verifiedAt: string;
  };
}

export interface Lineage {
  readonly datasets?: readonly { readonly name: string; readonly sha256: string }[];
  readonly code?: readonly { readonly uri: string; readonly commit: string }[];
  readonly parents?: readonly { readonly model: string; readonly version: number }[];
}

export interface Annotations {
  readonly tags?: readonly string[];
  readonly modelCard?: string;
  readonly lineage?: Lineage;
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

export interface VersionDetail extends Version {
  readonly annotations: Annotations;
}

export interface GateCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface Gate {
  readonly passed: boolean;
  readonly checks: readonly GateCheck[];
  /** The policy engine's decision per policy, which the checks were read from. */
  readonly decisions?: readonly GateDecision[];
}

export interface AliasMove {
  readonly version: number | null;
  readonly movedAt: string;
  readonly movedBy: string;
}

export interface StoredDecision {
  readonly id: number;
  readonly model: string;
  readonly version: number;
  readonly alias: string;
  readonly passed: boolean;
  readonly checks: readonly GateCheck[];
  /** The policy decisions as stored (a list; null for decisions stored before the policy engine). */
  readonly decision: unknown;
  readonly decidedAt: string;
  readonly requestedBy: string;
}

export interface EvidenceRecord {
  readonly id: number;
  readonly kind: string;
  readonly name: string;
  readonly digest: string;
  readonly summary: {
    readonly findings?: number;
    readonly bySeverity?: Partial<Record<Severity, number>>;
    readonly worst?: Severity;
    readonly rules?: readonly string[];
    readonly files?: number;
    readonly errors?: number;
    readonly type?: string;
  };
  readonly createdAt: string;
  readonly createdBy: string | null;
}

export type FindingKind = 'scan' | 'data-scan' | 'assessment';

export interface FindingPage {
  readonly total: number;
  readonly matched: number;
  readonly facets: {
    readonly bySeverity: Readonly<Record<string, number>>;
    readonly byRule: Readonly<Record<string, number>>;
    readonly byPath: Readonly<Record<string, number>>;
  };
  readonly findings: readonly Finding[];
}

export interface GatewaySignals {
  readonly requests: number;
  readonly detections: number;
  readonly blocked: number;
  readonly errors: number;
  readonly verdicts: Readonly<Record<string, number>>;
  readonly callers: Readonly<Record<string, number>>;
  readonly minExtractionW: number | null;
  readonly performance?: {
    readonly labelled: number;
    readonly accuracy?: number;
    readonly mae?: number;
    readonly rmse?: number;
  };
}

export interface MonitorCheck {
  readonly id: number;
  readonly model: string;
  readonly version: number;
  readonly source: 'gateway' | 'batch';
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly rows: number;
  readonly share: number;
  readonly drifted: boolean;
  readonly at: string;
  readonly report: DriftReport | null;
  readonly signals: GatewaySignals;
}

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export interface Incident {
  readonly id: number;
  readonly title: string;
  readonly model: string | null;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly source: string;
  readonly timeline?: readonly {
    readonly at: string;
    readonly kind: string;
    readonly actor: string | null;
    readonly note: string;
  }[];
}

export interface AuditKey {
  readonly name: string;
  readonly origin: string;
  readonly pem: string;
}

/** One audit entry as the server canonicalizes it (the bytes hashed are the stored string). */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly actor: { readonly id: number; readonly name: string } | null;
  readonly details: Readonly<Record<string, unknown>>;
}
