import type { Api } from '../../api/client.js';
import type { AuditKey } from '../../api/types.js';
import {
  type Bytes,
  equalBytes,
  fromBase64,
  leafHashes,
  MerkleFrontier,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import { type Checkpoint, type CheckpointKey, importCheckpointKey, verifyCheckpoint } from './note.js';

export type Verdict =
  | {
      readonly ok: true;
      readonly checkedAt: Date;
      readonly checkpoint: Checkpoint;
      readonly key: CheckpointKey;
      /** Set when this check extended an earlier one: the log only grew, proven by the server's consistency proof. */
      readonly grewFrom?: number;
    }
  | { readonly ok: false; readonly checkedAt: Date; readonly reason: string };

interface State {
  readonly key: CheckpointKey;
  readonly pem: string;
  readonly checkpoint: Checkpoint;
  readonly frontier: MerkleFrontier;
  readonly entries: string[];
  readonly leaves: Bytes[];
}

/**
 * Verifies the audit log in the browser, as `mlsecops audit verify` does: the checkpoint's Ed25519
 * signature, then the Merkle root recomputed from every entry. Later checks fetch only the new
 * entries, require the server's consistency proof from the last verified checkpoint, and extend the
 * root, so a log that was rewritten rather than appended to fails.
 */
export class AuditVerifier {
  #state: State | undefined;
  /** Why the log failed verification; it stays failed until checked again from scratch. */
  #alarm: string | undefined;
  #running: Promise<Verdict> | undefined;

  constructor(private readonly api: Api) {}

  /** Entries as verified by the last successful check (the stored strings, which were hashed). */
  get entries(): readonly string[] {
    return this.#state?.entries ?? [];
  }

  check(options: { fromScratch?: boolean } = {}): Promise<Verdict> {
    this.#running ??= this.#check(options.fromScratch === true).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(fromScratch: boolean): Promise<Verdict> {
    const checkedAt = new Date();
    const fail = (reason: string): Verdict => {
      this.#alarm = reason;
      this.#state = undefined;
      return { ok: false, checkedAt, reason };
    };
    if (fromScratch) this.#alarm = undefined;
    if (this.#alarm) return { ok: false, checkedAt, reason: this.#alarm };
    try {
      const keyInfo = await this.api.get<AuditKey>('audit/key');
      const previous = fromScratch ? undefined : this.#state;
      if (previous && previous.pem !== keyInfo.pem) return fail('the server now presents a different checkpoint key');
      const key = previous?.key ?? (await importCheckpointKey(keyInfo.name, keyInfo.origin, keyInfo.pem));
      // The checkpoint first: entries appended meanwhile are beyond its size and not fetched.
      const note = await this.api.text('audit/checkpoint');
      const verdict = await verifyCheckpoint(note, key);
      if (!verdict.ok) return fail(verdict.reason);
      const { checkpoint } = verdict;
      if (previous && checkpoint.size < previous.checkpoint.size) {
        return fail(`the log shrank from ${previous.checkpoint.size} to ${checkpoint.size} entries`);
      }
      if (previous && previous.checkpoint.size > 0 && checkpoint.size > previous.checkpoint.size) {
        const { hashes } = await this.api.get<{ hashes: string[] }>('audit/proof/consistency', {
          from: previous.checkpoint.size,
          to: checkpoint.size,
        });
        const consistent = await verifyConsistency(
          previous.checkpoint.size,
          checkpoint.size,
          previous.checkpoint.root,
          checkpoint.root,
          hashes.map(fromBase64),
        );
        if (!consistent)
          return fail(`the log is not an extension of the ${previous.checkpoint.size} entries verified before`);
      }
      const entries = previous ? [...previous.entries] : [];
      const leaves = previous ? [...previous.leaves] : [];
      const frontier = previous?.frontier ?? new MerkleFrontier();
      while (entries.length < checkpoint.size) {
        const page = await this.api.get<{ entries: string[] }>('audit/entries', {
          from: entries.length,
          limit: 10_000,
        });
        if (page.entries.length === 0) break;
        const fresh = page.entries.slice(0, checkpoint.size - entries.length);
        const hashes = await leafHashes(fresh);
        for (const leaf of hashes) await frontier.append(leaf);
        entries.push(...fresh);
        leaves.push(...hashes);
      }
      if (entries.length !== checkpoint.size) {
        return fail(`the checkpoint covers ${checkpoint.size} entries but the server returned ${entries.length}`);
      }
      if (!equalBytes(await frontier.root(), checkpoint.root)) {
        return fail("the entries do not hash to the checkpoint's root: an entry was changed, added, removed or moved");
      }
      this.#state = { key, pem: keyInfo.pem, checkpoint, frontier, entries, leaves };
      const grew = previous && checkpoint.size > previous.checkpoint.size ? { grewFrom: previous.checkpoint.size } : {};
      return { ok: true, checkedAt, checkpoint, key, ...grew };
    } catch (error) {
      // The server could not be read (not a verdict on the log): start over on the next check.
      this.#state = undefined;
      return {
        ok: false,
        checkedAt,
        reason: `could not check: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /** Whether entry `index` is in the verified tree, by the server's inclusion proof. */
  async proveInclusion(index: number): Promise<boolean> {
    const state = this.#state;
    const leaf = state?.leaves[index];
    if (!state || !leaf) return false;
    const { hashes } = await this.api.get<{ hashes: string[] }>('audit/proof/inclusion', {
      index,
      size: state.checkpoint.size,
    });
    return verifyInclusion(leaf, index, state.checkpoint.size, hashes.map(fromBase64), state.checkpoint.root);
  }
}
