import type { Finding, Reference, Severity } from '../contracts/index.js';
import type { Source } from './io/source.js';
import type { Classification, GlobalRef } from './pickle/verdicts.js';

/** Bounds every reader works within. All are options; defaults in limits.ts. */
export interface ScanLimits {
  /** Container nesting (archive in archive, pickle in bytes in pickle). */
  readonly maxDepth: number;
  /** Bytes a single compressed object may expand to. */
  readonly maxDecompressedBytes: number;
  /** Members read from one archive. */
  readonly maxMembers: number;
  /** Wall-clock budget for one file on disk, all its members included. */
  readonly timeoutMs: number;
  /** Pickle stack plus MARK depth. */
  readonly maxPickleStack: number;
  /** Pickle memo entries. */
  readonly maxPickleMemo: number;
}

/** One object to scan: a file on disk or something inside one. */
export interface ScanInput {
  readonly source: Source;
  /** The file on disk this object lives in. */
  readonly path: string;
  /** Chain of members inside `path` (`archive/data.pkl`, `inner.zip!/x.pkl`), absent for the file itself. */
  readonly member?: string;
  /** Base name used only as a hint when content is ambiguous; never trusted. */
  readonly name: string;
  readonly depth: number;
}

export interface FindingDraft {
  readonly ruleId: RuleId;
  readonly evidence: string;
  readonly severity?: Severity;
  readonly title?: string;
  readonly category?: string;
  readonly member?: string;
  readonly offset?: number;
  readonly references?: readonly Reference[];
  readonly properties?: Finding['properties'];
}

export interface ScanContext {
  readonly limits: ScanLimits;
  readonly signal: AbortSignal;
  readonly classify: (ref: GlobalRef) => Classification;
  report(input: ScanInput, draft: FindingDraft): void;
  /** Marks the file partial (something was not fully analysed) with a reason; no finding by itself. */
  partial(input: ScanInput, code: string, message: string): void;
  /** Records a format recognised inside the file. */
  format(name: string): void;
  /**
   * Sniffs a nested object and scans it with the registry; returns the format name or undefined.
   * `strict` sniffs by content alone (payloads found inside other data); `as` names the format outright.
   */
  scanNested(
    parent: ScanInput,
    member: string,
    source: Source,
    options?: NestedOptions,
  ): Promise<NestedResult | undefined>;
  /** The scanner that would take an object with this head, without scanning it. */
  recognize(head: Buffer, hint: SniffHint): string | undefined;
  /** Throws a LimitError once the file's time budget is spent or the scan was aborted. */
  checkTime(): void;
  /** Runs work that honours `signal`, turning an abort into the LimitError checkTime would throw. */
  bounded<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  timeLeft(): string | undefined;
}

export interface NestedResult {
  readonly format: string;
  /** Most severe finding the nested scan reported, if any. */
  readonly highest: Severity | undefined;
}

export interface NestedOptions {
  readonly strict?: boolean;
  readonly as?: string;
}

export interface SniffHint {
  readonly name: string;
  readonly size: number;
  /** Nested payloads are sniffed strictly: no help from names. */
  readonly strict: boolean;
}

/** The one plugin shape: a format scanner recognises its format from bytes and reports findings. */
export interface FormatScanner {
  readonly name: string;
  readonly version: string;
  sniff(head: Buffer, hint: SniffHint): boolean;
  scan(ctx: ScanContext, input: ScanInput, head: Buffer): Promise<void>;
}

export type RuleId = keyof typeof import('./rules.js').rules;
