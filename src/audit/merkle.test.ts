import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

/** Vectors printed by testdata/rfc6962-vectors.py, a literal Python transcription of RFC 6962. */
interface Vectors {
  leaves: string[];
  emptyRoot: string;
  roots: { size: number; root: string }[];
  inclusion: { index: number; size: number; proof: string[] }[];
  consistency: { oldSize: number; newSize: number; proof: string[] }[];
}
const vectors: Vectors = JSON.parse(
  readFileSync(new URL('./testdata/rfc6962-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

const hex = (buffers: readonly Uint8Array[]) => buffers.map((b) => Buffer.from(b).toString('hex'));
const unhex = (strings: readonly string[]) => strings.map((s) => Buffer.from(s, 'hex'));
const ctLeaves = vectors.leaves.map((leaf) => leafHash(Buffer.from(leaf, 'hex')));
const rootOf = (size: number) => Buffer.from(vectors.roots[size - 1]?.root ?? '', 'hex');

/** Flips one bit of a hash, the smallest possible tampering. */
function flip(hash: Uint8Array, bit = 0): Buffer {
  const copy = Buffer.from(hash);
  copy[(bit >> 3) % copy.length] = (copy[(bit >> 3) % copy.length] as number) ^ (1 << (bit & 7));
  return copy;
}

/** Distinct leaf hashes for the property tests, built once. */
const manyLeaves = Array.from({ length: 300 }, (_, i) => leafHash(Buffer.from(`registry event ${i}`)));

/** The RFC 6962 definitions written recursively, as a second opinion on the iterative engine. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

describe('RFC 6962 hashing, known answers', () => {
  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(vectors.emptyRoot).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(emptyRoot().toString('hex')).toBe(vectors.emptyRoot);
    expect(rootHash([]).toString('hex')).toBe(vectors.emptyRoot);
  });

  it('gives the RFC 6962 reference root for the eight classic CT leaves', () => {
    expect(rootHash(ctLeaves).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it.each(vectors.roots)('matches the root of the first $size leaves', ({ size, root }) => {
    expect(rootHash(ctLeaves, size).toString('hex')).toBe(root);
    expect(rootHash(ctLeaves.slice(0, size)).toString('hex')).toBe(root);
  });

  it.each(vectors.inclusion)('matches and verifies the inclusion proof of leaf $index in size $size', (vector) => {
    const { index, size } = vector;
    const proof = inclusionProof(ctLeaves, index, size);
    expect(hex(proof)).toEqual(vector.proof);
    expect(verifyInclusion(ctLeaves[index] as Buffer, index, size, unhex(vector.proof), rootOf(size))).toBe(true);
  });

  it.each(vectors.consistency)('matches and verifies the consistency proof $oldSize -> $newSize', (vector) => {
    const { oldSize, newSize } = vector;
    const proof = consistencyProof(ctLeaves, oldSize, newSize);
    expect(hex(proof)).toEqual(vector.proof);
    expect(verifyConsistency(oldSize, newSize, rootOf(oldSize), rootOf(newSize), unhex(vector.proof))).toBe(true);
  });
});

describe('RFC 9162 edge cases', () => {
  const root8 = rootOf(8);

  it('rejects an index at or beyond the tree size', () => {
    expect(verifyInclusion(ctLeaves[0] as Buffer, 8, 8, inclusionProof(ctLeaves, 7, 8), root8)).toBe(false);
    expect(verifyInclusion(ctLeaves[0] as Buffer, 0, 0, [], emptyRoot())).toBe(false);
    expect(() => inclusionProof(ctLeaves, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(ctLeaves, 0, 9)).toThrow(RangeError);
  });

  it('proves a one-leaf tree with an empty path and nothing longer', () => {
    const leaf = ctLeaves[0] as Buffer;
    expect(inclusionProof(ctLeaves, 0, 1)).toEqual([]);
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 1, [leaf], nodeHash(leaf, leaf))).toBe(false);
  });

  it('accepts equal sizes only with an empty proof and equal roots', () => {
    expect(consistencyProof(ctLeaves, 5, 5)).toEqual([]);
    expect(verifyConsistency(5, 5, rootOf(5), rootOf(5), [])).toBe(true);
    expect(verifyConsistency(5, 5, rootOf(5), rootOf(6), [])).toBe(false);
    expect(verifyConsistency(5, 5, rootOf(5), rootOf(5), [rootOf(5)])).toBe(false);
  });

  it('treats a consistency proof from the empty tree as unprovable', () => {
    expect(() => consistencyProof(ctLeaves, 0, 8)).toThrow(/need 1 <= old <= new/);
    expect(verifyConsistency(0, 8, emptyRoot(), root8, [])).toBe(false);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(false);
  });

  it('rejects an empty proof between different sizes and a shrinking log', () => {
    expect(verifyConsistency(4, 8, rootOf(4), root8, [])).toBe(false);
    expect(verifyConsistency(8, 4, root8, rootOf(4), consistencyProof(ctLeaves, 4, 8))).toBe(false);
    expect(() => consistencyProof(ctLeaves, 6, 5)).toThrow(RangeError);
  });

  it('rejects proofs that are one hash too long or too short', () => {
    const inclusion = inclusionProof(ctLeaves, 2, 7);
    const leaf = ctLeaves[2] as Buffer;
    expect(verifyInclusion(leaf, 2, 7, inclusion.slice(0, -1), rootOf(7))).toBe(false);
    expect(verifyInclusion(leaf, 2, 7, [...inclusion, root8], rootOf(7))).toBe(false);
    const consistency = consistencyProof(ctLeaves, 3, 7);
    expect(verifyConsistency(3, 7, rootOf(3), rootOf(7), consistency.slice(0, -1))).toBe(false);
    expect(verifyConsistency(3, 7, rootOf(3), rootOf(7), [...consistency, root8])).toBe(false);
  });

  it('rejects wrong hash lengths and sizes that are not whole numbers', () => {
    const leaf = ctLeaves[3] as Buffer;
    const proof = inclusionProof(ctLeaves, 3, 8);
    expect(verifyInclusion(leaf, 3, 8, proof, root8)).toBe(true);
    expect(verifyInclusion(leaf.subarray(1), 3, 8, proof, root8)).toBe(false);
    expect(verifyInclusion(leaf, 3, 8, proof, Buffer.concat([root8, Buffer.of(0)]))).toBe(false);
    expect(verifyInclusion(leaf, 3, 8, [...proof.slice(0, 2), Buffer.alloc(31)], root8)).toBe(false);
    for (const bad of [-1, 3.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(verifyInclusion(leaf, bad, 8, proof, root8)).toBe(false);
      expect(verifyInclusion(leaf, 3, bad, proof, root8)).toBe(false);
      expect(verifyConsistency(bad, 8, rootOf(4), root8, consistencyProof(ctLeaves, 4, 8))).toBe(false);
      expect(verifyConsistency(4, bad, rootOf(4), root8, consistencyProof(ctLeaves, 4, 8))).toBe(false);
    }
    expect(() => rootHash(ctLeaves, -1)).toThrow(RangeError);
    expect(() => rootHash(ctLeaves, 9)).toThrow(RangeError);
    expect(() => rootHash([Buffer.alloc(31)])).toThrow(/32-byte/);
  });

  it('rejects sparse proof arrays instead of hashing their holes', () => {
    const proof = inclusionProof(ctLeaves, 3, 8);
    const sparse = new Array<Buffer>(3);
    sparse[0] = proof[0] as Buffer;
    expect(verifyInclusion(ctLeaves[3] as Buffer, 3, 8, sparse, root8)).toBe(false);
    expect(verifyConsistency(3, 8, rootOf(3), root8, sparse)).toBe(false);
  });

  it('handles sizes beyond 32 bits in the verifier arithmetic', () => {
    // A right-most leaf in a huge tree: the walk must not truncate indexes to 32 bits.
    const size = 2 ** 40 + 3;
    expect(verifyInclusion(ctLeaves[0] as Buffer, size - 1, size, [root8], root8)).toBe(false);
    expect(verifyConsistency(2 ** 33, size, root8, root8, [root8, root8])).toBe(false);
  });
});

describe('RFC 6962 hashing, properties', () => {
  const sizeAndIndex = fc
    .integer({ min: 1, max: manyLeaves.length })
    .chain((size) => fc.record({ size: fc.constant(size), index: fc.nat({ max: size - 1 }) }));
  const oldAndNew = fc
    .integer({ min: 1, max: manyLeaves.length })
    .chain((newSize) => fc.record({ oldSize: fc.integer({ min: 1, max: newSize }), newSize: fc.constant(newSize) }));

  it('agrees with the recursive RFC definition of the root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: manyLeaves.length }), (size) => {
        expect(rootHash(manyLeaves, size).equals(referenceRoot(manyLeaves.slice(0, size)))).toBe(true);
      }),
    );
  });

  it('verifies every inclusion proof, and not for another leaf, index or root', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(255), ({ size, index }, other, bit) => {
        const root = rootHash(manyLeaves, size);
        const proof = inclusionProof(manyLeaves, index, size);
        const leaf = manyLeaves[index] as Buffer;
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(flip(leaf, bit), index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flip(root, bit))).toBe(false);
        if (size > 1) {
          const otherIndex = (index + 1 + (other % (size - 1))) % size;
          expect(verifyInclusion(leaf, otherIndex, size, proof, root)).toBe(false);
          expect(verifyInclusion(manyLeaves[otherIndex] as Buffer, index, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.with(other % proof.length, flip(root)), root)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('verifies every consistency proof, and not when either root or a proof hash changes', () => {
    fc.assert(
      fc.property(oldAndNew, fc.nat(), fc.nat(255), ({ oldSize, newSize }, pick, bit) => {
        const oldRoot = rootHash(manyLeaves, oldSize);
        const newRoot = rootHash(manyLeaves, newSize);
        const proof = consistencyProof(manyLeaves, oldSize, newSize);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        expect(verifyConsistency(oldSize, newSize, flip(oldRoot, bit), newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, flip(newRoot, bit), proof)).toBe(false);
        if (proof.length > 0) {
          const tampered = proof.with(pick % proof.length, flip(proof[pick % proof.length] as Buffer, bit));
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, tampered)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on garbage, and never accepts it', () => {
    const hashLike = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.anything(),
    );
    const size = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double(), fc.anything());
    const proof = fc.oneof(fc.array(hashLike, { maxLength: 70 }), fc.anything());
    fc.assert(
      fc.property(hashLike, size, size, proof, hashLike, (a, s1, s2, p, b) => {
        const inclusion = () =>
          verifyInclusion(a as Uint8Array, s1 as number, s2 as number, p as Uint8Array[], b as Uint8Array);
        const consistency = () =>
          verifyConsistency(s1 as number, s2 as number, a as Uint8Array, b as Uint8Array, p as Uint8Array[]);
        expect(inclusion).not.toThrow();
        expect(consistency).not.toThrow();
        // A one-leaf tree whose root is the leaf itself is the one way garbage can verify.
        if (inclusion())
          expect(s1 === 0 && s2 === 1 && Buffer.from(a as Uint8Array).equals(b as Uint8Array)).toBe(true);
        // Equal sizes with an empty proof and identical roots is the one garbage-free way to succeed.
        if (consistency()) expect(s1 === s2 && Buffer.from(a as Uint8Array).equals(b as Uint8Array)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('large logs', () => {
  it('computes the root of a million leaves without deep recursion', { timeout: 60_000 }, () => {
    const leaves = Array.from({ length: 1_000_000 }, (_, i) => leafHash(Buffer.from(String(i))));
    const root = rootHash(leaves);
    const index = 765_432;
    const proof = inclusionProof(leaves, index, leaves.length);
    expect(proof.length).toBe(20);
    expect(verifyInclusion(leaves[index] as Buffer, index, leaves.length, proof, root)).toBe(true);
  });
});
