import {
  formatCheckpoint,
  type NoteSigner,
  type NoteVerifier,
  parseCheckpoint,
  signNote,
  verifyNote,
} from './checkpoint.js';
import { consistencyProof, inclusionProof, leafHash, nodeHash, rootHash } from './merkle.js';

/**
 * The model registry's audit log as an append-only Merkle tree held in memory. It keeps only leaf
 * hashes: the entries themselves (who published, promoted or revoked which model) are stored by
 * the caller, who can then prove any entry's presence and the log's append-only history to anyone
 * holding a signed checkpoint.
 */
export class MerkleLog {
  readonly #leaves: Buffer[] = [];
  /**
   * Roots of the perfect subtrees covering all leaves so far, largest first (one per set bit of the
   * size). Kept up to date on append so the current root costs O(log n), not a pass over the log.
   */
  readonly #frontier: Buffer[] = [];

  /** Adds an entry (by its leaf hash) and returns its index, which inclusion proofs refer to. */
  append(entry: Uint8Array): number {
    if (!(entry instanceof Uint8Array)) throw new TypeError('an audit log entry must be bytes');
    const index = this.#leaves.length;
    let node = leafHash(entry);
    this.#leaves.push(node);
    // Merge with completed subtrees of equal height, like carrying when incrementing a binary counter.
    for (let count = index; count % 2 === 1; count = Math.floor(count / 2)) {
      node = nodeHash(this.#frontier.pop() as Buffer, node);
    }
    this.#frontier.push(node);
    return index;
  }

  /** How many entries the log holds. */
  get size(): number {
    return this.#leaves.length;
  }

  /** The leaf hash of entry `index`, for callers that publish or cross-check individual leaves. */
  leafHash(index: number): Buffer {
    const leaf = this.#leaves[index];
    if (!Number.isSafeInteger(index) || !leaf) throw new RangeError(`no audit log entry ${index}`);
    return Buffer.from(leaf);
  }

  /** The Merkle root of the first `size` entries (default: all of them). */
  root(size: number = this.size): Buffer {
    if (size !== this.size) return rootHash(this.#leaves, size);
    let root = this.#frontier.at(-1);
    if (!root) return rootHash([]);
    for (let i = this.#frontier.length - 2; i >= 0; i--) root = nodeHash(this.#frontier[i] as Buffer, root);
    return Buffer.from(root);
  }

  /** The proof that entry `index` is in the log as it stood at `size` entries. */
  inclusion(index: number, size: number = this.size): Buffer[] {
    return inclusionProof(this.#leaves, index, size);
  }

  /** The proof that the log at `oldSize` entries is a prefix of the log at `newSize` entries. */
  consistency(oldSize: number, newSize: number = this.size): Buffer[] {
    return consistencyProof(this.#leaves, oldSize, newSize);
  }

  /** A signed checkpoint note committing to the log's current size and root under `origin`. */
  checkpoint(origin: string, signer: NoteSigner): string {
    return signNote(formatCheckpoint({ origin, size: this.size, root: this.root() }), signer);
  }
}

/** The outcome of checking stored entries against a checkpoint, with a reason when they differ. */
export type EntriesVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks that `entries`, exactly as stored, are the log a signed checkpoint commits to: the note
 * must verify under `verifier`, name `origin`, cover exactly `entries.length` entries and have the
 * root recomputed from them. Any edited, deleted, inserted or reordered entry changes the count or
 * the root. Entries appended after the checkpoint count as a mismatch; to check the prefix a
 * checkpoint covers, pass `entries.slice(0, size)`. Never throws.
 */
export function verifyEntries(
  entries: readonly Uint8Array[],
  checkpointNote: string,
  verifier: NoteVerifier,
  origin: string,
): EntriesVerdict {
  const note = verifyNote(checkpointNote, verifier);
  if (!note) return fail(`the checkpoint is not validly signed by key ${JSON.stringify(verifier?.name)}`);
  let checkpoint: ReturnType<typeof parseCheckpoint>;
  try {
    checkpoint = parseCheckpoint(note.body);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (checkpoint.origin !== origin)
    return fail(`the checkpoint is for log ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(origin)}`);
  if (!isByteList(entries)) return fail('the entries must be a list of byte arrays');
  if (entries.length !== checkpoint.size)
    return fail(`the checkpoint covers ${checkpoint.size} entries but ${entries.length} were given`);
  const root = rootHash(entries.map(leafHash));
  if (!root.equals(checkpoint.root))
    return fail(`the entries do not hash to the checkpoint's root: an entry was changed, added, removed or moved`);
  return { ok: true };
}

/** Whether `value` is an array of byte arrays, holes included in the check (`every` skips them). */
function isByteList(value: unknown): value is readonly Uint8Array[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!(value[i] instanceof Uint8Array)) return false;
  return true;
}

/** A failed verdict. */
function fail(reason: string): EntriesVerdict {
  return { ok: false, reason };
}
