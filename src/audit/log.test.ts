import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint, signNote, verifyNote } from './checkpoint.js';
import { MerkleLog, verifyEntries } from './log.js';
import { emptyRoot, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle.js';

const ORIGIN = 'registry.example/audit';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const signer = { name: ORIGIN, privateKey };
const verifier = { name: ORIGIN, publicKey };

/** Audit events as the registry might serialise them; the log only ever sees their bytes. */
function events(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(JSON.stringify({ seq: i, action: i % 3 === 0 ? 'publish' : 'promote', model: `model-${i % 7}` })),
  );
}

function logOf(entries: readonly Uint8Array[]): MerkleLog {
  const log = new MerkleLog();
  for (const entry of entries) log.append(entry);
  return log;
}

describe('MerkleLog', () => {
  it('starts empty with the RFC 6962 empty root', () => {
    const log = new MerkleLog();
    expect(log.size).toBe(0);
    expect(log.root()).toEqual(emptyRoot());
  });

  it('returns consecutive indexes and keeps the root equal to a fresh computation at every size', () => {
    const entries = events(70);
    const log = new MerkleLog();
    entries.forEach((entry, i) => {
      expect(log.append(entry)).toBe(i);
      expect(log.size).toBe(i + 1);
      expect(log.root()).toEqual(rootHash(entries.slice(0, i + 1).map(leafHash)));
    });
    for (let size = 0; size <= entries.length; size++) {
      expect(log.root(size)).toEqual(rootHash(entries.slice(0, size).map(leafHash)));
    }
    expect(log.leafHash(3)).toEqual(leafHash(entries[3] as Buffer));
    expect(() => log.leafHash(70)).toThrow(RangeError);
  });

  it('serves inclusion and consistency proofs that verify against its roots', () => {
    const entries = events(50);
    const log = logOf(entries);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.nat(), fc.nat(), (size, i, old) => {
        const index = i % size;
        const proof = log.inclusion(index, size);
        expect(verifyInclusion(leafHash(entries[index] as Buffer), index, size, proof, log.root(size))).toBe(true);
        const oldSize = 1 + (old % size);
        const consistency = log.consistency(oldSize, size);
        expect(verifyConsistency(oldSize, size, log.root(oldSize), log.root(size), consistency)).toBe(true);
      }),
    );
    expect(verifyInclusion(leafHash(entries[7] as Buffer), 7, 50, log.inclusion(7), log.root())).toBe(true);
    expect(verifyConsistency(20, 50, log.root(20), log.root(), log.consistency(20))).toBe(true);
  });

  it('refuses proofs for sizes it does not have', () => {
    const log = logOf(events(5));
    expect(() => log.inclusion(5)).toThrow(RangeError);
    expect(() => log.inclusion(0, 6)).toThrow(RangeError);
    expect(() => log.consistency(0)).toThrow(RangeError);
    expect(() => log.root(6)).toThrow(RangeError);
    expect(() => log.append('not bytes' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('signs a checkpoint of its current state', () => {
    const log = logOf(events(12));
    const note = log.checkpoint(ORIGIN, signer);
    const verified = verifyNote(note, verifier);
    expect(verified).toBeDefined();
    expect(parseCheckpoint(verified?.body ?? '')).toEqual({
      origin: ORIGIN,
      size: 12,
      root: log.root(),
      extensions: [],
    });
  });
});

describe('verifyEntries', () => {
  const entries = events(25);
  const note = logOf(entries).checkpoint(ORIGIN, signer);

  it('accepts the entries the checkpoint was made from', () => {
    expect(verifyEntries(entries, note, verifier, ORIGIN)).toEqual({ ok: true });
    expect(verifyEntries([], new MerkleLog().checkpoint(ORIGIN, signer), verifier, ORIGIN)).toEqual({ ok: true });
  });

  it('detects an edited entry', () => {
    const edited = entries.with(10, Buffer.from(String(entries[10]).replace('promote', 'publish')));
    expect(verifyEntries(edited, note, verifier, ORIGIN)).toMatchObject({ ok: false, reason: /root/ });
    const flipped = entries.map((entry, i) =>
      i === 24 ? Buffer.concat([entry.subarray(0, -1), Buffer.of(0x20)]) : entry,
    );
    expect(verifyEntries(flipped, note, verifier, ORIGIN).ok).toBe(false);
  });

  it('detects a deleted entry', () => {
    const deleted = entries.toSpliced(4, 1);
    expect(verifyEntries(deleted, note, verifier, ORIGIN)).toMatchObject({
      ok: false,
      reason: /covers 25 entries but 24/,
    });
    expect(verifyEntries(entries.slice(0, -1), note, verifier, ORIGIN).ok).toBe(false);
  });

  it('detects an inserted entry', () => {
    const inserted = entries.toSpliced(7, 0, Buffer.from('{"action":"revoke"}'));
    expect(verifyEntries(inserted, note, verifier, ORIGIN)).toMatchObject({
      ok: false,
      reason: /covers 25 entries but 26/,
    });
    expect(verifyEntries([...entries, Buffer.from('later')], note, verifier, ORIGIN).ok).toBe(false);
  });

  it('detects a deletion hidden by an insertion, which keeps the count', () => {
    const replaced = entries.toSpliced(3, 1).toSpliced(20, 0, Buffer.from('{"action":"revoke"}'));
    expect(replaced).toHaveLength(entries.length);
    expect(verifyEntries(replaced, note, verifier, ORIGIN)).toMatchObject({ ok: false, reason: /root/ });
  });

  it('detects two swapped entries', () => {
    const swapped = entries.with(2, entries[9] as Buffer).with(9, entries[2] as Buffer);
    expect(verifyEntries(swapped, note, verifier, ORIGIN)).toMatchObject({ ok: false, reason: /root/ });
    const adjacent = entries.with(23, entries[24] as Buffer).with(24, entries[23] as Buffer);
    expect(verifyEntries(adjacent, note, verifier, ORIGIN).ok).toBe(false);
  });

  it('detects any single edit, deletion, insertion or swap', () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), at: fc.nat(24), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(24) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(25), bytes: fc.uint8Array({ maxLength: 20 }) }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(24), with: fc.nat(24) }),
    );
    fc.assert(
      fc.property(change, (c) => {
        let changed: Uint8Array[];
        if (c.kind === 'edit') {
          const entry = Buffer.from(entries[c.at] as Buffer);
          entry[0] = (entry[0] as number) ^ (c.byte || 1);
          changed = entries.with(c.at, entry);
        } else if (c.kind === 'delete') changed = entries.toSpliced(c.at, 1);
        else if (c.kind === 'insert') changed = entries.toSpliced(c.at, 0, Buffer.from(c.bytes));
        else {
          fc.pre(c.at !== c.with);
          changed = entries.with(c.at, entries[c.with] as Buffer).with(c.with, entries[c.at] as Buffer);
        }
        expect(verifyEntries(changed, note, verifier, ORIGIN).ok).toBe(false);
      }),
    );
  });

  it('rejects a checkpoint from another log, another key or an unsigned source', () => {
    expect(verifyEntries(entries, note, verifier, 'registry.example/other')).toMatchObject({
      ok: false,
      reason: /for log "registry.example\/audit"/,
    });
    const stranger = { name: ORIGIN, publicKey: generateKeyPairSync('ed25519').publicKey };
    expect(verifyEntries(entries, note, stranger, ORIGIN)).toMatchObject({ ok: false, reason: /not validly signed/ });
    expect(verifyEntries(entries, note.replace('\n25\n', '\n24\n'), verifier, ORIGIN).ok).toBe(false);
    expect(verifyEntries(entries, 'garbage', verifier, ORIGIN).ok).toBe(false);
    const sparse = new Array<Buffer>(25);
    sparse[0] = entries[0] as Buffer;
    expect(verifyEntries(sparse, note, verifier, ORIGIN)).toMatchObject({ ok: false, reason: /byte arrays/ });
  });

  it('reports a signed note that is not a checkpoint', () => {
    const notCheckpoint = signNote('model card approved\n', signer);
    expect(verifyEntries(entries, notCheckpoint, verifier, ORIGIN)).toMatchObject({ ok: false, reason: /malformed/ });
  });
});

describe('large logs', () => {
  it('builds the root of a 100,000-entry log', { timeout: 20_000 }, () => {
    const log = new MerkleLog();
    const entries: Buffer[] = [];
    for (let i = 0; i < 100_000; i++) {
      const entry = Buffer.from(`{"seq":${i},"action":"publish"}`);
      entries.push(entry);
      log.append(entry);
    }
    const root = log.root();
    expect(root).toEqual(rootHash(entries.map(leafHash)));
    expect(verifyEntries(entries, log.checkpoint(ORIGIN, signer), verifier, ORIGIN)).toEqual({ ok: true });
  });
});
