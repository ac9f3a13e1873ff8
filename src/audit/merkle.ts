import { hash } from 'node:crypto';

/**
 * Merkle tree hashing for the model registry's tamper-evident audit log, as RFC 6962 (Certificate
 * Transparency) defines it over SHA-256. Using the standard construction, rather than a home-grown
 * one, lets any RFC 6962 / RFC 9162 verifier check the log's proofs independently.
 *
 * Builders (rootHash, inclusionProof, consistencyProof) throw a RangeError on arguments the caller
 * controls and got wrong. Verifiers never throw: whatever a remote party sends them, they answer
 * true or false.
 */

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** Longest proof a tree of up to 2^53 leaves can need; anything longer is malformed. */
const MAX_PROOF_LENGTH = 64;

/**
 * The hash of one log entry: SHA-256(0x00 || entry). The 0x00 prefix, distinct from the 0x01 of
 * interior nodes, stops an attacker passing off an interior node as a leaf (second preimage).
 * One-shot hashing of a single buffer: about twice as fast as a streaming hash for inputs this small,
 * which matters when a whole log is rehashed.
 */
export function leafHash(entry: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(entry.length + 1);
  input[0] = 0x00;
  input.set(entry, 1);
  return hash('sha256', input, 'buffer');
}

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** The root of a log with no entries: SHA-256 of the empty string, as RFC 6962 fixes it. */
export function emptyRoot(): Buffer {
  return hash('sha256', Buffer.alloc(0), 'buffer');
}

/**
 * The root hash MTH(D[size]) over the first `size` leaf hashes (RFC 6962 section 2.1).
 *
 * Iterative rather than recursive, so a log of millions of entries needs O(n) time and only
 * O(log n) extra memory: a stack of completed perfect subtrees, the same shape as the binary
 * representation of the number of leaves seen so far. Folding that stack from the right at the end
 * gives exactly the RFC's split at the largest power of two below n.
 */
export function rootHash(leafHashes: readonly Uint8Array[], size: number = leafHashes.length): Buffer {
  checkSize(size, leafHashes.length);
  return subtreeHash(leafHashes, 0, size);
}

/**
 * The root of the subtree over leaves [start, end), computed with the stack method of rootHash.
 * Proof builders call it for each sibling subtree; siblings are disjoint, so a whole proof costs
 * O(n) hashing.
 */
function subtreeHash(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (start === end) return emptyRoot();
  const stack: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    let node = leafAt(leafHashes, i);
    // Each trailing one bit of the count so far is a perfect subtree ready to merge with this one.
    for (let count = i - start; count % 2 === 1; count = half(count)) {
      node = nodeHash(stack.pop() as Uint8Array, node);
    }
    stack.push(node);
  }
  let root = stack.pop() as Uint8Array;
  while (stack.length > 0) root = nodeHash(stack.pop() as Uint8Array, root);
  // A one-leaf tree's root is the caller's own leaf hash: copy it so the result never aliases input.
  return end - start === 1 ? Buffer.from(root) : (root as Buffer);
}

/** The leaf hash at `index`, checked to be a 32-byte hash so a bad input fails loudly, not silently. */
function leafAt(leafHashes: readonly Uint8Array[], index: number): Uint8Array {
  const leaf = leafHashes[index];
  if (!isHash(leaf)) throw new RangeError(`leaf hash ${index} is not a ${HASH_SIZE}-byte hash`);
  return leaf;
}

/**
 * The audit path PATH(index, D[size]) proving that leaf `index` is in the tree of the first `size`
 * leaves (RFC 6962 section 2.1.1), ordered from the leaf's sibling up to the root's child.
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size: number): Buffer[] {
  checkSize(size, leafHashes.length);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf index ${index} is not inside a tree of size ${size}`);
  // Walk down from the root, noting the sibling subtree at each split; the RFC lists them bottom-up.
  const path: Buffer[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const middle = start + largestPowerOfTwoBelow(end - start);
    if (index < middle) {
      path.push(subtreeHash(leafHashes, middle, end));
      end = middle;
    } else {
      path.push(subtreeHash(leafHashes, start, middle));
      start = middle;
    }
  }
  return path.reverse();
}

/**
 * The consistency proof PROOF(oldSize, D[newSize]) = SUBPROOF(oldSize, D[newSize], true) showing
 * that the tree of the first `oldSize` leaves is a prefix of the tree of the first `newSize`
 * (RFC 6962 section 2.1.2). Empty when the sizes are equal. An old size of 0 has nothing to prove
 * (every log extends the empty one) and RFC 9162 defines no proof for it, so it is refused.
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number, newSize: number): Buffer[] {
  checkSize(newSize, leafHashes.length);
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize)
    throw new RangeError(`no consistency proof from size ${oldSize} to size ${newSize} (need 1 <= old <= new)`);
  const proof: Buffer[] = [];
  let start = 0;
  let end = newSize;
  let remaining = oldSize;
  // `complete` is SUBPROOF's b: true while the walk has only gone left, so the subtree it stops at
  // is the old tree itself, whose root the verifier already holds and the proof leaves out.
  let complete = true;
  while (remaining !== end - start) {
    const split = largestPowerOfTwoBelow(end - start);
    if (remaining <= split) {
      proof.push(subtreeHash(leafHashes, start + split, end));
      end = start + split;
    } else {
      proof.push(subtreeHash(leafHashes, start, start + split));
      start += split;
      remaining -= split;
      complete = false;
    }
  }
  if (!complete) proof.push(subtreeHash(leafHashes, start, end));
  return proof.reverse();
}

/**
 * Whether `proof` shows that `leaf` (a leaf hash) is entry `index` of the tree of `size` leaves
 * whose root is `root`. This is the RFC 9162 section 2.1.3.2 algorithm: fn walks the leaf's index
 * and sn the last index up the tree, so the bits decide on which side each proof hash goes and
 * whether the proof has exactly the right length. Never throws.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !isProof(proof)) return false;
  if (!isTreeSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A left child with no right sibling at this level is promoted: skip the levels it rises.
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the
 * tree of `newSize` leaves with root `newRoot`, i.e. the log only appended since. This is the
 * RFC 9162 section 2.1.4.2 algorithm, which rebuilds both roots from one walk over the proof.
 * Equal sizes need an empty proof and equal roots; an old size of 0 is not provable and yields
 * false. Never throws.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(oldRoot) || !isHash(newRoot) || !isProof(proof)) return false;
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize < 1 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  if (proof.length === 0) return false;
  // When the old tree is a perfect subtree of the new one, its root is the walk's starting node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

/** Whether `value` is a 32-byte hash; runtime check because verifiers take untrusted input. */
function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/**
 * Whether `value` is a plausible proof: an array of at most 64 hashes. Indexes rather than
 * `every`, which skips the holes of a sparse array and would let an undefined element through.
 */
function isProof(value: unknown): value is readonly Uint8Array[] {
  if (!Array.isArray(value) || value.length > MAX_PROOF_LENGTH) return false;
  for (let i = 0; i < value.length; i++) if (!isHash(value[i])) return false;
  return true;
}

/** Whether `value` is a tree size the verifiers can do exact arithmetic on. */
function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Refuses a tree size that is not a whole number of the leaves actually held. */
function checkSize(size: number, available: number): void {
  if (!isTreeSize(size) || size > available)
    throw new RangeError(`tree size ${size} is not between 0 and the ${available} leaves held`);
}

/** The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree of n leaves. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether n is a power of two (n >= 1). */
function isPowerOfTwo(n: number): boolean {
  return n === largestPowerOfTwoBelow(n) * 2 || n === 1;
}

/**
 * n shifted right by one bit. Division instead of `>>` because JavaScript bit operators truncate to
 * 32 bits, and a long-lived log may pass 2^31 entries.
 */
function half(n: number): number {
  return Math.floor(n / 2);
}
