/**
 * RFC 6962 Merkle tree hashing with the browser's WebCrypto, so the dashboard checks the audit log
 * itself instead of trusting the server's word. The same construction as src/audit/merkle.ts (which
 * the CLI's `mlsecops audit verify` uses): leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ l ‖ r),
 * and the RFC 9162 §2.1.3.2 / §2.1.4.2 algorithms for inclusion and consistency proofs.
 */

export type Bytes = Uint8Array<ArrayBuffer>;

/** Longest proof a tree of up to 2^53 leaves can need. */
const MAX_PROOF_LENGTH = 64;

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) {
    throw new Error('this browser offers no WebCrypto here: open the dashboard over HTTPS (or on localhost)');
  }
  return globalThis.crypto.subtle;
}

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

export function leafHash(entry: Bytes): Promise<Bytes> {
  const input = new Uint8Array(entry.length + 1);
  input[0] = 0x00;
  input.set(entry, 1);
  return sha256(input);
}

export function nodeHash(left: Bytes, right: Bytes): Promise<Bytes> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** Leaf hashes of many entries, hashed concurrently in slices (WebCrypto is asynchronous). */
export async function leafHashes(entries: readonly string[]): Promise<Bytes[]> {
  const encoder = new TextEncoder();
  const out: Bytes[] = [];
  for (let start = 0; start < entries.length; start += 1024) {
    const slice = entries.slice(start, start + 1024).map((entry) => leafHash(encoder.encode(entry)));
    out.push(...(await Promise.all(slice)));
  }
  return out;
}

/**
 * The roots of the perfect subtrees covering the leaves so far (one per set bit of the size), so
 * appending is O(log n) and the root of a growing log never needs all leaves hashed again.
 */
export class MerkleFrontier {
  #size = 0;
  readonly #stack: Bytes[] = [];

  get size(): number {
    return this.#size;
  }

  async append(leaf: Bytes): Promise<void> {
    let node = leaf;
    for (let count = this.#size; count % 2 === 1; count = Math.floor(count / 2)) {
      node = await nodeHash(this.#stack.pop() as Bytes, node);
    }
    this.#stack.push(node);
    this.#size++;
  }

  /** MTH of the leaves so far; SHA-256 of nothing for an empty log, as RFC 6962 fixes it. */
  async root(): Promise<Bytes> {
    let root = this.#stack.at(-1);
    if (!root) return sha256(new Uint8Array(0));
    for (let i = this.#stack.length - 2; i >= 0; i--) root = await nodeHash(this.#stack[i] as Bytes, root);
    return root;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

const half = (n: number) => Math.floor(n / 2);
const isHash = (value: Uint8Array) => value.length === 32;

/** Whether `proof` shows leaf `index` (hash `leaf`) is in the tree of `size` leaves with root `root`. */
export async function verifyInclusion(
  leaf: Bytes,
  index: number,
  size: number,
  proof: readonly Bytes[],
  root: Bytes,
): Promise<boolean> {
  if (!isHash(leaf) || !isHash(root) || proof.length > MAX_PROOF_LENGTH || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** Whether `proof` shows the tree of `oldSize` leaves (root `oldRoot`) is a prefix of the one of `newSize`. */
export async function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Bytes,
  newRoot: Bytes,
  proof: readonly Bytes[],
): Promise<boolean> {
  if (!isHash(oldRoot) || !isHash(newRoot) || proof.length > MAX_PROOF_LENGTH || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 1 || oldSize > newSize)
    return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  // When the old tree is a perfect subtree of the new one, its root is the walk's starting node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Bytes;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

export function fromBase64(text: string): Bytes {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
