import type { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type Bundle, pae } from './bundle.js';
import { generateKeyPair, keySigner } from './sign.js';

/** A scratch folder for one test file, small model folders in it, and key pairs as PEM files. */
export function integrityFixtures(prefix: string) {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let count = 0;
  const model = (): string => {
    const root = join(scratch, `model${count++}`);
    mkdirSync(join(root, 'weights'), { recursive: true });
    writeFileSync(join(root, 'config.json'), '{"architectures":["Toy"]}');
    writeFileSync(join(root, 'weights', 'part-1.bin'), Buffer.alloc(4096, 1));
    writeFileSync(join(root, 'weights', 'part-2.bin'), Buffer.alloc(1000, 2));
    return root;
  };
  const keyFiles = (
    kind: Parameters<typeof generateKeyPair>[0],
    passphrase?: string,
  ): { priv: string; pub: string } => {
    const pair = generateKeyPair(kind, passphrase);
    const base = join(scratch, `key${count++}`);
    writeFileSync(`${base}.pem`, pair.privateKey);
    writeFileSync(`${base}.pub.pem`, pair.publicKey);
    return { priv: `${base}.pem`, pub: `${base}.pub.pem` };
  };
  return { scratch, model, keyFiles };
}

/** Replaces a bundle's statement and signs it again with `key`: a validly signed hostile statement. */
export function resign(
  bundle: Bundle,
  statement: object,
  key: ReturnType<typeof generateKeyPairSync>['privateKey'],
): Bundle {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const signer = keySigner(key);
  return {
    ...bundle,
    dsseEnvelope: {
      ...bundle.dsseEnvelope,
      payload: payload.toString('base64'),
      signatures: [{ sig: signer.sign(pae(bundle.dsseEnvelope.payloadType, payload)).toString('base64'), keyid: '' }],
    },
  };
}
