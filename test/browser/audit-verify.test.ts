import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  formatCheckpoint,
  inclusionProof,
  leafHash,
  rootHash,
  signNote,
} from '../../src/audit/index.js';
import {
  type Bytes,
  leafHashes,
  MerkleFrontier,
  verifyConsistency,
  verifyInclusion,
} from '../../web/src/pages/audit/merkle.js';
import { importCheckpointKey, verifyCheckpoint } from '../../web/src/pages/audit/note.js';

/**
 * The dashboard's WebCrypto verification (web/src/pages/audit) against the engine the server and the
 * CLI use (src/audit): the same roots, and every proof the server builds accepted, tampered ones not.
 * WebCrypto is the same API in Node as in the browser, so this runs without one.
 */
const bytes = (buffer: Uint8Array): Bytes => new Uint8Array(buffer);
const entries = Array.from({ length: 40 }, (_, i) => JSON.stringify({ seq: i, kind: 'test', details: { i } }));
const serverLeaves = entries.map((entry) => leafHash(Buffer.from(entry, 'utf8')));

describe('audit verification in the dashboard', () => {
  it('computes the same leaf hashes and roots as the server for every size', async () => {
    const leaves = await leafHashes(entries);
    expect(leaves.map((leaf) => Buffer.from(leaf).toString('hex'))).toEqual(
      serverLeaves.map((leaf) => leaf.toString('hex')),
    );
    const frontier = new MerkleFrontier();
    expect(Buffer.from(await frontier.root()).equals(rootHash([]))).toBe(true);
    for (const [size, leaf] of leaves.entries()) {
      await frontier.append(leaf);
      expect(Buffer.from(await frontier.root()).equals(rootHash(serverLeaves, size + 1)), `size ${size + 1}`).toBe(
        true,
      );
    }
  });

  it("accepts the server's inclusion and consistency proofs and refuses altered ones", async () => {
    for (let size = 1; size <= 24; size++) {
      const root = bytes(rootHash(serverLeaves, size));
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(serverLeaves, index, size).map(bytes);
        expect(await verifyInclusion(bytes(serverLeaves[index]!), index, size, proof, root), `${index}/${size}`).toBe(
          true,
        );
        if (proof.length > 0) {
          const bad = proof.map((hash, i) => (i === 0 ? bytes(Buffer.from(hash).fill(7, 0, 1)) : hash));
          expect(await verifyInclusion(bytes(serverLeaves[index]!), index, size, bad, root)).toBe(false);
        }
      }
      for (let old = 1; old <= size; old++) {
        const proof = consistencyProof(serverLeaves, old, size).map(bytes);
        const oldRoot = bytes(rootHash(serverLeaves, old));
        expect(await verifyConsistency(old, size, oldRoot, root, proof), `${old}→${size}`).toBe(true);
        if (old < size) {
          const otherRoot = bytes(rootHash(serverLeaves.slice(1), old));
          expect(await verifyConsistency(old, size, otherRoot, root, proof), `forged ${old}→${size}`).toBe(false);
        }
      }
    }
  });

  it('verifies a signed checkpoint with Ed25519 and refuses other keys, other logs and edited notes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const body = formatCheckpoint({ origin: 'registry.test', size: 40, root: rootHash(serverLeaves) });
    const note = signNote(body, { name: 'registry.test', privateKey });
    const key = await importCheckpointKey('registry.test', 'registry.test', pem);
    const verdict = await verifyCheckpoint(note, key);
    expect(verdict.ok && verdict.checkpoint.size).toBe(40);
    expect(verdict.ok && Buffer.from(verdict.checkpoint.root).equals(rootHash(serverLeaves))).toBe(true);

    const otherPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(
      (await verifyCheckpoint(note, await importCheckpointKey('registry.test', 'registry.test', otherPem))).ok,
    ).toBe(false);
    expect((await verifyCheckpoint(note, await importCheckpointKey('registry.test', 'other.log', pem))).ok).toBe(false);
    expect((await verifyCheckpoint(note.replace('\n40\n', '\n41\n'), key)).ok).toBe(false);
  });
});
