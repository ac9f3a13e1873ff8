/**
 * Shape of the pickle-globals verdict data (globals-data.ts) and of user allowlists.
 * Matching rules (implemented in verdicts.ts):
 * - module matches exactly, or any submodule when `submodules` is true;
 * - a dangerous entry's name matches the whole name or its first dotted part (`Popen` covers `Popen.__init__`),
 *   and `*` matches everything;
 * - a safe entry's `*` matches one plain identifier only: dotted names must be listed explicitly;
 * - dangerous always wins over safe; a global matching neither is an unknown import (medium).
 */
export type GlobalVerdict = 'safe' | 'dangerous';

export type GlobalCategory =
  | 'process-execution'
  | 'code-execution'
  | 'import-machinery'
  | 'debugger-profiler'
  | 'native-code'
  | 'network'
  | 'filesystem'
  | 'nested-deserialization'
  | 'library-gadget'
  | 'indirection'
  | 'interpreter-state'
  | 'ml-reconstruction'
  | 'python-builtin'
  | 'data-structure'
  /** Entries from a user allowlist (allowlist.ts). */
  | 'user-allowlist';

export interface GlobalEntry {
  /** Module as named in the pickle (Python 2 names are mapped to Python 3 before matching). */
  readonly module: string;
  /** Attribute names covered: exact (may be dotted qualnames like `Module.load`) or `*`. */
  readonly names: readonly string[];
  /** Also covers every submodule (`module.x`, `module.x.y`). */
  readonly submodules?: boolean;
  readonly verdict: GlobalVerdict;
  /** Dangerous entries only; default critical. */
  readonly severity?: 'medium' | 'high' | 'critical';
  readonly category: GlobalCategory;
  /** Why this entry is here: what the callable does when a pickle calls it. */
  readonly reason: string;
  /**
   * Dangerous entries only: the global is harmless when every call to it passes arguments of this kind —
   * a first argument from `firstArgIn`, or (`cleanPayload`) a constant serialized payload whose own scan
   * finds nothing. Any other use keeps the entry's verdict.
   */
  readonly harmlessWhen?: { readonly firstArgIn?: readonly string[]; readonly cleanPayload?: boolean };
  /** CVE-…, GHSA-…, or advisory ids that motivated the entry. */
  readonly references?: readonly string[];
}
