import { type Bytes, equalBytes, fromBase64, sha256, toBase64, toHex } from './merkle.js';

/**
 * Signed checkpoints (C2SP tlog-checkpoint in a signed-note) checked with WebCrypto's Ed25519, as
 * src/audit/checkpoint.ts checks them for the CLI: the key hash binds the key name, every signature
 * line claiming our key must verify, and the body must be a well-formed checkpoint of our log.
 */

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Bytes;
}

export interface CheckpointKey {
  readonly name: string;
  readonly origin: string;
  readonly key: CryptoKey;
  /** The 4-byte key hash signature lines carry: SHA-256(name ‖ "\n" ‖ 0x01 ‖ raw key)[0..4]. */
  readonly keyHash: Bytes;
  /** SHA-256 of the raw public key, hex: what to compare with the key an auditor holds. */
  readonly fingerprint: string;
}

export type CheckpointVerdict =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reason: string };

const SIGNATURE_PREFIX = '\u2014 ';
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The Ed25519 public key from its SPKI PEM, with the key hash and fingerprint derived from it. */
export async function importCheckpointKey(name: string, origin: string, pem: string): Promise<CheckpointKey> {
  const der = fromBase64(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, ''));
  const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, true, ['verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
  const nameBytes = new TextEncoder().encode(`${name}\n`);
  const input = new Uint8Array(nameBytes.length + 1 + raw.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x01;
  input.set(raw, nameBytes.length + 1);
  const keyHash = (await sha256(input)).slice(0, 4);
  return { name, origin, key, keyHash, fingerprint: toHex(await sha256(raw)) };
}

/** Canonical base64 only: one spelling per value, as the formats require. */
function decodeBase64(text: string): Bytes | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = fromBase64(text);
  return toBase64(bytes) === text ? bytes : undefined;
}

/** Verifies the note's signature by `key` and parses its checkpoint; never throws. */
export async function verifyCheckpoint(note: string, key: CheckpointKey): Promise<CheckpointVerdict> {
  const fail = (reason: string): CheckpointVerdict => ({ ok: false, reason });
  if (!note.endsWith('\n')) return fail('the checkpoint note does not end in a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('the checkpoint note carries no signatures');
  const body = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const ours: Bytes[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return fail('a signature line of the checkpoint is malformed');
    const [name, encoded = ''] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    const decoded = decodeBase64(encoded);
    if (!name || !decoded || decoded.length < 5) return fail('a signature line of the checkpoint is malformed');
    if (name === key.name && equalBytes(decoded.slice(0, 4), key.keyHash)) ours.push(decoded.slice(4));
  }
  if (ours.length === 0) return fail(`the checkpoint is not signed by key ${JSON.stringify(key.name)}`);
  const signed = new TextEncoder().encode(body);
  for (const signature of ours) {
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key.key, signature, signed).catch(() => false);
    if (!valid) return fail(`the checkpoint's signature by ${JSON.stringify(key.name)} does not verify`);
  }
  const [origin = '', sizeText = '', rootText = ''] = body.slice(0, -1).split('\n');
  if (origin !== key.origin)
    return fail(`the checkpoint is for log ${JSON.stringify(origin)}, not ${JSON.stringify(key.origin)}`);
  if (!DECIMAL.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    return fail('the checkpoint size is malformed');
  const root = decodeBase64(rootText);
  if (root?.length !== 32) return fail('the checkpoint root is not a SHA-256 hash');
  return { ok: true, checkpoint: { origin, size: Number(sizeText), root } };
}
