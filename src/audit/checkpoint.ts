import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { HASH_SIZE } from './merkle.js';

/**
 * Signed checkpoints of the model registry's audit log, in the C2SP formats shared by the Go
 * checksum database, Sigstore's Rekor v2 and other transparency logs: "tlog-checkpoint" for the
 * text (origin, tree size, root hash) and "signed-note" for the Ed25519 signatures under it. A
 * standard format means witnesses and monitors built for those logs can check ours unchanged.
 *
 * A checkpoint note looks like:
 *
 *   registry.example/audit
 *   42
 *   <base64 root hash>
 *
 *   — registry.example/audit <base64(key hash || signature)>
 */

/** A parsed checkpoint: which log (origin), how many entries (size) and their Merkle root. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

/** What formatCheckpoint needs; extension lines are optional and opaque to this module. */
export interface CheckpointFields {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions?: readonly string[];
}

/** An Ed25519 private key and the key name its signature lines carry. */
export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
}

/** An Ed25519 public key and the key name it is trusted under. */
export interface NoteVerifier {
  name: string;
  publicKey: KeyObject;
}

/** Raised when a checkpoint cannot be formatted or parsed; the message says which rule failed. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Largest note accepted, so a hostile peer cannot make verification read or hash without bound. */
export const MAX_NOTE_BYTES = 1 << 20;

/** Most signature lines accepted in one note, the cap the signed-note specification suggests. */
export const MAX_SIGNATURES = 100;

/** Every signature line starts with an em dash (U+2014) and a space. */
const SIGNATURE_PREFIX = '\u2014 ';

/** The signed-note algorithm byte for Ed25519, hashed into the key hash. */
const ED25519_ALGORITHM = 0x01;

/** Characters a note may not hold: ASCII controls other than newline, and lone UTF-16 surrogates. */
const FORBIDDEN_TEXT = /[\x00-\x09\x0b-\x1f]|[\uD800-\uDFFF]/u;

/** Characters a key name may not hold: Unicode spaces (incl. NEL), plus signs and controls. */
const FORBIDDEN_NAME = /[\s\u0085+\x00-\x1f]|[\uD800-\uDFFF]/u;

/** A tree size in decimal without leading zeros, so each size has exactly one text form. */
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** Standard padded base64, the only alphabet the formats allow. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The checkpoint body for a log state; every line, the last included, ends in a newline. */
export function formatCheckpoint(fields: CheckpointFields): string {
  const { origin, size, root, extensions = [] } = fields;
  if (!isLine(origin)) throw new CheckpointError('checkpoint origin must be a non-empty line of text');
  if (!Number.isSafeInteger(size) || size < 0)
    throw new CheckpointError(`checkpoint tree size must be a non-negative integer, not ${size}`);
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE)
    throw new CheckpointError(`checkpoint root must be a ${HASH_SIZE}-byte hash`);
  const bad = extensions.findIndex((line) => !isLine(line));
  if (bad >= 0) throw new CheckpointError(`checkpoint extension line ${bad + 1} must be a non-empty line of text`);
  const lines = [origin, String(size), Buffer.from(root).toString('base64'), ...extensions];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * The fields of a checkpoint body, or a CheckpointError naming the first rule it breaks. Parsing is
 * strict (one spelling per value) so that two different texts never describe the same log state.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string') throw new CheckpointError('checkpoint must be text');
  const problem = noteTextProblem(body);
  if (problem) throw new CheckpointError(`malformed checkpoint: ${problem}`);
  const [origin = '', sizeText = '', rootText = '', ...extensions] = body.slice(0, -1).split('\n');
  if (origin === '') throw new CheckpointError('malformed checkpoint: the origin line is empty');
  if (!DECIMAL.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    throw new CheckpointError(`malformed checkpoint: tree size ${JSON.stringify(sizeText)} is not a decimal integer`);
  const root = decodeBase64(rootText);
  if (root?.length !== HASH_SIZE)
    throw new CheckpointError(`malformed checkpoint: root ${JSON.stringify(rootText)} is not a base64 SHA-256 hash`);
  if (extensions.some((line) => line === ''))
    throw new CheckpointError('malformed checkpoint: it contains an empty line');
  return { origin, size: Number(sizeText), root, extensions };
}

/**
 * The 4-byte key hash that names an Ed25519 key in signature lines: the first four bytes of
 * SHA-256(name || "\n" || 0x01 || public key). Binding the name stops a signature made under one
 * key name being replayed under another.
 */
export function noteKeyHash(name: string, publicKey: KeyObject): Buffer {
  if (!isKeyName(name)) throw new CheckpointError(`invalid note key name ${JSON.stringify(name)}`);
  const raw = rawEd25519PublicKey(publicKey);
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update('\n')
    .update(Buffer.of(ED25519_ALGORITHM))
    .update(raw)
    .digest();
  return digest.subarray(0, 4);
}

/** The signed note: `body`, a blank line, and one Ed25519 signature line by `signer`. */
export function signNote(body: string, signer: NoteSigner): string {
  const problem = typeof body === 'string' ? noteTextProblem(body) : 'it is not text';
  if (problem) throw new CheckpointError(`cannot sign note: ${problem}`);
  const { name, privateKey } = signer;
  if (privateKey?.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
    throw new CheckpointError('note signing needs an Ed25519 private key');
  const keyHash = noteKeyHash(name, createPublicKey(privateKey));
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  return `${body}\n${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyHash, signature]).toString('base64')}\n`;
}

/**
 * The body of `note` when it carries a valid signature by `verifier`, else undefined. Never throws,
 * whatever the input. Like the reference implementation, a malformed note is rejected as a whole,
 * and other keys' signatures are skipped; stricter than it, every line claiming the verifier's key
 * must verify, so a forged line next to a genuine one is treated as tampering rather than ignored.
 * Accepts bytes too, so that text which is not UTF-8 can be refused rather than silently repaired.
 */
export function verifyNote(note: string | Uint8Array, verifier: NoteVerifier): { body: string } | undefined {
  const text = noteText(note);
  if (text === undefined || noteTextProblem(text, false)) return undefined;
  const split = text.lastIndexOf('\n\n');
  if (split < 0) return undefined;
  const body = text.slice(0, split + 1);
  const lines = signatureLines(text.slice(split + 2));
  const keyHash = verifierKeyHash(verifier);
  if (!lines || !keyHash) return undefined;
  const ours = lines.filter((line) => line.name === verifier.name && line.keyHash.equals(keyHash));
  if (ours.length === 0) return undefined;
  const signed = Buffer.from(body, 'utf8');
  return ours.every((line) => verifiesEd25519(verifier.publicKey, signed, line.signature)) ? { body } : undefined;
}

/** One parsed signature line. */
interface SignatureLine {
  name: string;
  keyHash: Buffer;
  signature: Buffer;
}

/** The signature block split into lines, or undefined if any line is malformed or there are too many. */
function signatureLines(block: string): SignatureLine[] | undefined {
  if (block === '' || !block.endsWith('\n')) return undefined;
  const raw = block.slice(0, -1).split('\n');
  if (raw.length > MAX_SIGNATURES) return undefined;
  const parsed: SignatureLine[] = [];
  for (const line of raw) {
    const signature = parseSignatureLine(line);
    if (!signature) return undefined;
    parsed.push(signature);
  }
  return parsed;
}

/** "— <name> <base64(key hash || signature)>", or undefined when the line is not exactly that. */
function parseSignatureLine(line: string): SignatureLine | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return undefined;
  const name = rest.slice(0, space);
  const decoded = decodeBase64(rest.slice(space + 1));
  if (!isKeyName(name) || !decoded || decoded.length < 5) return undefined;
  return { name, keyHash: decoded.subarray(0, 4), signature: decoded.subarray(4) };
}

/** The note as a string within the size bound, or undefined for oversized, non-UTF-8 or non-text input. */
function noteText(note: unknown): string | undefined {
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_BYTES) return undefined;
    try {
      return utf8.decode(note);
    } catch {
      return undefined;
    }
  }
  // A UTF-16 code unit never encodes to fewer than one byte, so the length check is a safe pre-filter.
  if (typeof note !== 'string' || note.length > MAX_NOTE_BYTES) return undefined;
  return Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES ? undefined : note;
}

/**
 * Why `text` is not acceptable signed-note text, or undefined when it is: non-empty, newline
 * terminated, within the size bound, valid Unicode and free of control characters but newline.
 * `body` adds the rule that a note body ends in exactly one newline-terminated line.
 */
function noteTextProblem(text: string, body = true): string | undefined {
  if (text === '') return 'it is empty';
  if (!text.endsWith('\n')) return 'it does not end in a newline';
  if (text.length > MAX_NOTE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_NOTE_BYTES)
    return `it is larger than ${MAX_NOTE_BYTES} bytes`;
  if (FORBIDDEN_TEXT.test(text)) return 'it contains a control character (such as NUL) or invalid UTF-16';
  if (body && text.endsWith('\n\n')) return 'it ends in an empty line';
  return undefined;
}

/** The verifier's expected key hash, or undefined when its name or key is unusable. */
function verifierKeyHash(verifier: NoteVerifier): Buffer | undefined {
  try {
    return noteKeyHash(verifier.name, verifier.publicKey);
  } catch {
    return undefined;
  }
}

/** Whether `signature` is a valid Ed25519 signature of `data`; false rather than an exception. */
function verifiesEd25519(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** The 32 raw bytes of an Ed25519 public key, which the key hash covers. */
function rawEd25519PublicKey(key: KeyObject): Buffer {
  if (key?.type !== 'public' || key.asymmetricKeyType !== 'ed25519')
    throw new CheckpointError('note keys must be Ed25519 public keys');
  const { x } = key.export({ format: 'jwk' });
  const raw = Buffer.from(x ?? '', 'base64url');
  if (raw.length !== 32) throw new CheckpointError('malformed Ed25519 public key');
  return raw;
}

/** Bytes from canonical standard base64, or undefined: one spelling per value, as in the formats. */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Whether `value` is a non-empty single line of acceptable note text. */
function isLine(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !value.includes('\n') && !FORBIDDEN_TEXT.test(value);
}

/** Whether `name` is a valid key name: non-empty, no spaces, no plus signs, no controls. */
function isKeyName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !FORBIDDEN_NAME.test(name);
}
