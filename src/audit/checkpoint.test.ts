import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  formatCheckpoint,
  MAX_NOTE_BYTES,
  noteKeyHash,
  parseCheckpoint,
  signNote,
  verifyNote,
} from './checkpoint.js';
import { leafHash, rootHash } from './merkle.js';

const ORIGIN = 'registry.example/audit';
const root = rootHash([leafHash(Buffer.from('model published: sentiment-model@1.0.0'))]);

function keyPair(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { signer: { name, privateKey }, verifier: { name, publicKey } };
}

const log = keyPair(ORIGIN);
const witness = keyPair('witness.example');
const body = formatCheckpoint({ origin: ORIGIN, size: 42, root });
const note = signNote(body, log.signer);
const [bodyPart = '', signaturePart = ''] = note.split('\n\n');
const signatureLine = signaturePart.slice(0, -1);

/** An Ed25519 public key from its 32 raw bytes. */
function ed25519Key(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

describe('checkpoint text', () => {
  it('formats the three C2SP lines, each ending in a newline', () => {
    expect(body).toBe(`${ORIGIN}\n42\n${root.toString('base64')}\n`);
  });

  it('round-trips through parse, extension lines included', () => {
    const fields = { origin: ORIGIN, size: 7, root, extensions: ['timestamp 1700000000', 'ext two'] };
    const parsed = parseCheckpoint(formatCheckpoint(fields));
    expect(parsed).toEqual({ ...fields, root: Buffer.from(root) });
    expect(parseCheckpoint(body)).toEqual({ origin: ORIGIN, size: 42, root, extensions: [] });
    expect(parseCheckpoint(formatCheckpoint({ origin: ORIGIN, size: 0, root })).size).toBe(0);
    const plusAndSlash = Buffer.alloc(32, 0xfb);
    expect(formatCheckpoint({ origin: ORIGIN, size: 1, root: plusAndSlash })).toContain('+/v7');
    expect(parseCheckpoint(formatCheckpoint({ origin: ORIGIN, size: 1, root: plusAndSlash })).root).toEqual(
      plusAndSlash,
    );
  });

  it('round-trips arbitrary valid fields', () => {
    const line = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\x00-\x1f]|[\uD800-\uDFFF]/u.test(s));
    fc.assert(
      fc.property(
        line,
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, hash, extensions) => {
          const parsed = parseCheckpoint(formatCheckpoint({ origin, size, root: hash, extensions }));
          expect(parsed).toEqual({ origin, size, root: Buffer.from(hash), extensions });
        },
      ),
    );
  });

  it.each([
    ['an empty text', ''],
    ['a missing final newline', body.slice(0, -1)],
    ['too few lines', `${ORIGIN}\n42\n`],
    ['an empty origin', `\n42\n${root.toString('base64')}\n`],
    ['a leading zero in the size', `${ORIGIN}\n042\n${root.toString('base64')}\n`],
    ['a negative size', `${ORIGIN}\n-1\n${root.toString('base64')}\n`],
    ['a size with a space', `${ORIGIN}\n42 \n${root.toString('base64')}\n`],
    ['a size beyond exact integers', `${ORIGIN}\n9007199254740993\n${root.toString('base64')}\n`],
    ['a short root', `${ORIGIN}\n42\n${root.subarray(1).toString('base64')}\n`],
    ['unpadded base64', `${ORIGIN}\n42\n${root.toString('base64').replace(/=+$/, '')}\n`],
    ['url-safe base64', `${ORIGIN}\n42\n${Buffer.alloc(32, 0xfb).toString('base64url')}=\n`],
    ['a non-canonical base64 tail', `${ORIGIN}\n42\n${root.toString('base64').replace(/.=$/, 'B=')}\n`],
    ['a blank extension line', `${body}\n`],
    ['a NUL byte', `${ORIGIN}\u0000\n42\n${root.toString('base64')}\n`],
    ['CRLF line endings', body.replaceAll('\n', '\r\n')],
  ])('refuses to parse %s', (_name, text) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError);
  });

  it('refuses to format fields no parser could read back', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, root })).toThrow(/origin/);
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, root })).toThrow(/origin/);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: -1, root })).toThrow(/size/);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1.5, root })).toThrow(/size/);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: root.subarray(2) })).toThrow(/root/);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, root, extensions: [''] })).toThrow(/extension/);
  });
});

describe('signed notes', () => {
  it('verifies a note it signed and returns the exact body', () => {
    expect(note).toBe(`${body}\n${signatureLine}\n`);
    expect(signatureLine.startsWith(`\u2014 ${ORIGIN} `)).toBe(true);
    expect(verifyNote(note, log.verifier)).toEqual({ body });
    expect(verifyNote(Buffer.from(note, 'utf8'), log.verifier)).toEqual({ body });
  });

  it('interoperates with the Go signed-note reference implementation', () => {
    // The example in golang.org/x/mod/sumdb/note: verifier key
    // PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW (0x01 || Ed25519 key).
    const encoded = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64');
    expect(encoded[0]).toBe(0x01);
    const publicKey = ed25519Key(encoded.subarray(1));
    expect(noteKeyHash('PeterNeumann', publicKey).toString('hex')).toBe('c74f20a3');
    const text =
      'If you think cryptography is the answer to your problem,\n' + "then you don't know what your problem is.\n";
    const signed = `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
    expect(verifyNote(signed, { name: 'PeterNeumann', publicKey })).toEqual({ body: text });
    expect(verifyNote(signed.replace('answer', 'Answer'), { name: 'PeterNeumann', publicKey })).toBeUndefined();
  });

  it('computes the key hash over the name, a newline, the algorithm byte and the raw key', () => {
    const hash = noteKeyHash(ORIGIN, log.verifier.publicKey);
    expect(hash).toHaveLength(4);
    expect(Buffer.from(signatureLine.split(' ')[2] ?? '', 'base64').subarray(0, 4)).toEqual(hash);
    expect(noteKeyHash('other.example', log.verifier.publicKey)).not.toEqual(hash);
    expect(() => noteKeyHash('has space', log.verifier.publicKey)).toThrow(CheckpointError);
    expect(() => noteKeyHash('has+plus', log.verifier.publicKey)).toThrow(CheckpointError);
    const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => noteKeyHash(ORIGIN, ecdsa)).toThrow(/Ed25519/);
  });

  it('fails with the wrong key or the wrong key name', () => {
    expect(verifyNote(note, witness.verifier)).toBeUndefined();
    expect(verifyNote(note, { name: ORIGIN, publicKey: witness.verifier.publicKey })).toBeUndefined();
    expect(verifyNote(note, { name: 'registry.example/other', publicKey: log.verifier.publicKey })).toBeUndefined();
    // The right key under another name: the key hash binds the name, so re-labelling the line fails too.
    const relabelled = note.replace(`\u2014 ${ORIGIN} `, '\u2014 witness.example ');
    expect(verifyNote(relabelled, { name: 'witness.example', publicKey: log.verifier.publicKey })).toBeUndefined();
  });

  it('fails when the checkpoint body is edited', () => {
    const otherRoot = rootHash([leafHash(Buffer.from('model revoked'))]).toString('base64');
    const edits = [
      note.replace('\n42\n', '\n43\n'),
      note.replace('\n42\n', '\n4\n'),
      note.replace(root.toString('base64'), otherRoot),
      note.replace(ORIGIN, 'registry.example/audit2'),
      note.replace('registry.example', 'registry.exampl'),
    ];
    for (const edited of edits) {
      expect(edited).not.toBe(note);
      expect(verifyNote(edited, log.verifier)).toBeUndefined();
    }
  });

  it('fails when lines are truncated or duplicated', () => {
    const [origin, size, rootLine] = bodyPart.split('\n');
    const cases = [
      `${origin}\n${size}\n\n${signatureLine}\n`,
      `${origin}\n${size}\n${rootLine}\n${rootLine}\n\n${signatureLine}\n`,
      `${origin}\n${origin}\n${size}\n${rootLine}\n\n${signatureLine}\n`,
      `${body}\n`,
      `${body}\n${signatureLine.slice(0, -4)}\n`,
      note.slice(0, -1),
      note.slice(0, note.length / 2),
      body,
      `${signatureLine}\n`,
    ];
    for (const bad of cases) expect(verifyNote(bad, log.verifier)).toBeUndefined();
  });

  it('accepts a repeated copy of the same valid signature line, as the reference does', () => {
    expect(verifyNote(`${note}${signatureLine}\n`, log.verifier)).toEqual({ body });
  });

  it('fails on extra whitespace anywhere', () => {
    const cases = [
      note.replace('\n42\n', '\n42 \n'),
      note.replace(ORIGIN, ` ${ORIGIN}`),
      note.replace('\n\n', '\n\n\n'),
      `${note}\n`,
      ` ${note}`,
      note.replace(`\u2014 ${ORIGIN}`, `\u2014  ${ORIGIN}`),
      note.replace(`${ORIGIN} `, `${ORIGIN}  `),
      note.replace(/\n$/, ' \n'),
      note.replace(/\n$/, '\t\n'),
      note.replaceAll('\n', '\r\n'),
    ];
    for (const bad of cases) {
      expect(bad).not.toBe(note);
      expect(verifyNote(bad, log.verifier)).toBeUndefined();
    }
  });

  it('fails unless signature lines start with an em dash and a space', () => {
    for (const prefix of ['- ', '-- ', '\u2013 ', '\u2015 ', '\u2014', '\u2014\u00a0', ' \u2014 ']) {
      const bad = note.replace(`\u2014 ${ORIGIN}`, `${prefix}${ORIGIN}`);
      expect(bad).not.toBe(note);
      expect(verifyNote(bad, log.verifier)).toBeUndefined();
    }
  });

  it('checks every line claiming the key, and skips other keys', () => {
    const cosigned = `${note}${signNote(body, witness.signer).split('\n\n')[1]}`;
    expect(verifyNote(cosigned, log.verifier)).toEqual({ body });
    expect(verifyNote(cosigned, witness.verifier)).toEqual({ body });
    // A forged line under the log's own name and key hash spoils the note even next to a good one.
    const forged = signNote('another body\n', { name: ORIGIN, privateKey: witness.signer.privateKey });
    const forgedSignature = Buffer.from((forged.split(' ')[3] ?? '').trim(), 'base64').subarray(4);
    const keyHash = noteKeyHash(ORIGIN, log.verifier.publicKey);
    const forgedLine = `\u2014 ${ORIGIN} ${Buffer.concat([keyHash, forgedSignature]).toString('base64')}\n`;
    expect(verifyNote(`${note}${forgedLine}`, log.verifier)).toBeUndefined();
  });

  it('rejects a signature of the wrong length under the right key hash', () => {
    const keyHash = noteKeyHash(ORIGIN, log.verifier.publicKey);
    for (const length of [1, 63, 65]) {
      const line = `\u2014 ${ORIGIN} ${Buffer.concat([keyHash, Buffer.alloc(length)]).toString('base64')}\n`;
      expect(verifyNote(`${body}\n${line}`, log.verifier)).toBeUndefined();
    }
  });

  it('bounds the size of a note and the number of signatures', () => {
    const unknown = `\u2014 someone.else ${Buffer.alloc(68, 1).toString('base64')}\n`;
    expect(verifyNote(note + unknown.repeat(99), log.verifier)).toEqual({ body });
    expect(verifyNote(note + unknown.repeat(100), log.verifier)).toBeUndefined();
    const huge = `${ORIGIN}\n42\n${root.toString('base64')}\n${'x'.repeat(MAX_NOTE_BYTES)}\n`;
    expect(() => signNote(huge, log.signer)).toThrow(/larger than/);
    expect(verifyNote(`${huge}\n${signatureLine}\n`, log.verifier)).toBeUndefined();
    // Multi-byte characters count as bytes, not UTF-16 units.
    const wide = `${'\u00e9'.repeat(MAX_NOTE_BYTES / 2)}\n`;
    expect(verifyNote(`${wide}\n${signatureLine}\n`, log.verifier)).toBeUndefined();
  });

  it('rejects text that is not valid UTF-8 or holds control characters', () => {
    const bytes = Buffer.from(note, 'utf8');
    const invalid = Buffer.concat([bytes.subarray(0, 5), Buffer.of(0xff), bytes.subarray(5)]);
    expect(verifyNote(invalid, log.verifier)).toBeUndefined();
    const overlong = Buffer.concat([bytes.subarray(0, 5), Buffer.of(0xc0, 0xaf), bytes.subarray(5)]);
    expect(verifyNote(overlong, log.verifier)).toBeUndefined();
    expect(verifyNote(note.replace(ORIGIN, `${ORIGIN}\ud800`), log.verifier)).toBeUndefined();
    expect(() => signNote('nul\u0000byte\n', log.signer)).toThrow(/control character/);
    expect(() => signNote('lone \udc00 surrogate\n', log.signer)).toThrow(CheckpointError);
    expect(() => signNote('no final newline', log.signer)).toThrow(/newline/);
    const nulBody = 'nul\u0000byte\n';
    expect(verifyNote(`${nulBody}\n${signatureLine}\n`, log.verifier)).toBeUndefined();
  });

  it('refuses to sign with a bad key name or a non-Ed25519 key', () => {
    expect(() => signNote(body, { name: 'two words', privateKey: log.signer.privateKey })).toThrow(CheckpointError);
    expect(() => signNote(body, { name: '', privateKey: log.signer.privateKey })).toThrow(CheckpointError);
    const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => signNote(body, { name: ORIGIN, privateKey: ecdsa })).toThrow(/Ed25519/);
    expect(() => signNote(body, { name: ORIGIN, privateKey: log.verifier.publicKey })).toThrow(/Ed25519/);
  });

  it('returns undefined for an unusable verifier rather than throwing', () => {
    const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(verifyNote(note, { name: ORIGIN, publicKey: ecdsa })).toBeUndefined();
    expect(verifyNote(note, { name: 'bad name', publicKey: log.verifier.publicKey })).toBeUndefined();
    expect(verifyNote(note, { name: ORIGIN, publicKey: log.signer.privateKey })).toBeUndefined();
  });

  it('never throws on garbage and never verifies it', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.anything(),
      fc
        .array(fc.constantFrom(ORIGIN, '\n', '\u2014 ', ' ', '42', signatureLine, '=', 'AAAA'), { maxLength: 20 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(garbage, (input) => {
        expect(verifyNote(input as string, log.verifier)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('never verifies a mutated note for anything but the signed body', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: note.length }),
        fc.nat({ max: 40 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        (at, drop, insert) => {
          const mutated = note.slice(0, at) + insert + note.slice(at + drop);
          const result = verifyNote(mutated, log.verifier);
          if (result) expect(result.body).toBe(body);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
