import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  type X509Certificate,
} from 'node:crypto';
import {
  BUNDLE_MEDIA_TYPE,
  type Bundle,
  BundleError,
  IN_TOTO_PAYLOAD_TYPE,
  OMS_PREDICATE_TYPE,
  pae,
  STATEMENT_TYPE,
} from './bundle.js';
import type { HashPool } from './hash-pool.js';
import { type KeyKind, keyKind, signatureDigest, verifySignature } from './keys.js';
import { computeManifest, type Manifest, type Serialization } from './manifest.js';
import { type KeylessOptions, signKeyless } from './sigstore.js';

/**
 * What signs a statement into a Sigstore bundle: one interface for a bare key, a key with its
 * certificate chain, and Sigstore keyless signing (where a network and an OIDC token exist).
 */
export interface Signer {
  signStatement(statement: object): Promise<Bundle>;
}

/** A signer holding its key here: it signs bytes itself and knows its verification material. */
export interface KeySigner extends Signer {
  sign(data: Buffer): Buffer;
  /** The bundle's `verificationMaterial`. */
  material(): Bundle['verificationMaterial'];
}

/** Keyless: Fulcio certifies the token's identity, Rekor logs the signature (network and token needed). */
export function keylessSigner(options: KeylessOptions): Signer {
  return { signStatement: async (statement) => signKeyless(statementPayload(statement), options) };
}

/** Signs with a private key; the bundle carries a hint to the public key (SHA-256 of its SPKI DER). */
export function keySigner(privateKey: KeyObject): KeySigner {
  const kind = keyKind(privateKey);
  const publicKey = createPublicKey(privateKey);
  const hint = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  const signer: KeySigner = {
    sign: (data) => signWith(privateKey, kind, data),
    material: () => ({ publicKey: { hint }, tlogEntries: [] }),
    signStatement: async (statement) => statementBundle(statement, signer),
  };
  return signer;
}

/**
 * Signs with a private key whose certificate is `leaf`; `chain` holds the intermediates (and may hold
 * the root) in order. The key must be the leaf certificate's key.
 */
export function certificateSigner(
  privateKey: KeyObject,
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
): KeySigner {
  const kind = keyKind(privateKey);
  const probe = Buffer.from('mlsecops key check');
  if (!verifySignature(leaf.publicKey, probe, signWith(privateKey, kind, probe))) {
    throw new BundleError(`the private key is not the key of certificate ${leaf.subject}`);
  }
  const certificates = [leaf, ...chain].map((cert) => ({ rawBytes: cert.raw.toString('base64') }));
  const signer: KeySigner = {
    sign: (data) => signWith(privateKey, kind, data),
    material: () => ({ x509CertificateChain: { certificates }, tlogEntries: [] }),
    signStatement: async (statement) => statementBundle(statement, signer),
  };
  return signer;
}

function signWith(key: KeyObject, kind: KeyKind, data: Buffer): Buffer {
  return sign(signatureDigest(kind), data, kind === 'ed25519' ? key : { key, dsaEncoding: 'der' });
}

/** The in-toto statement of a manifest, with the OMS predicate, as the model signing tool writes it. */
export function omsStatement(manifest: Manifest): object {
  const s: Serialization = manifest.serialization;
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.rootDigest } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: {
      resources: manifest.resources.map((resource) => ({
        algorithm: resource.algorithm,
        name: resource.name,
        digest: resource.digest,
      })),
      serialization: {
        method: s.method,
        hash_type: s.hashType,
        allow_symlinks: s.allowSymlinks,
        ignore_paths: [...s.ignorePaths],
        ...(s.method === 'shards' ? { shard_size: s.shardSize } : {}),
      },
    },
  };
}

/** A Sigstore bundle v0.3 holding a DSSE envelope of the model's OMS statement. */
export function bundleFor(manifest: Manifest, signer: Signer): Promise<Bundle> {
  return signer.signStatement(omsStatement(manifest));
}

/**
 * The bytes a statement is signed as: JSON, indented like the model signing tool's, with `shard_size`
 * written as a float (`1000000000.0`) as that tool writes it (its predicate passes through a protobuf
 * Struct, whose numbers are doubles).
 */
export function statementPayload(statement: object): Buffer {
  const json = JSON.stringify(statement, null, 2).replace(/("shard_size": )(\d+)(?=\s*[,}\n])/, '$1$2.0');
  return Buffer.from(json, 'utf8');
}

/** A Sigstore bundle v0.3 holding a DSSE envelope of any in-toto statement, signed here. */
export function statementBundle(statement: object, signer: KeySigner): Bundle {
  const payload = statementPayload(statement);
  const signature = signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
  return {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: signer.material(),
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: signature.toString('base64'), keyid: '' }],
    },
  };
}

/** Hashes the model with `serialization` and signs its manifest. */
export async function signModel(
  model: string,
  serialization: Serialization,
  signer: Signer,
  pool?: HashPool,
): Promise<{ bundle: Bundle; manifest: Manifest }> {
  const manifest = await computeManifest(model, serialization, pool);
  return { bundle: await bundleFor(manifest, signer), manifest };
}

/** A private key from PEM, decrypted with `passphrase` when it is encrypted. */
export function privateKeyFromPem(pem: string, passphrase?: string): KeyObject {
  if (passphrase === undefined && /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new BundleError('the private key is encrypted: give its passphrase');
  }
  try {
    const key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
    keyKind(key);
    return key;
  } catch (error) {
    if (error instanceof BundleError) throw error;
    const message = (error as Error).message;
    throw new BundleError(
      /passphrase|decrypt|bad decrypt/i.test(message) && passphrase === undefined
        ? 'the private key is encrypted: give its passphrase'
        : `not a usable PEM private key: ${message}`,
    );
  }
}

/** A new key pair as PEM: PKCS#8 private key (AES-256-CBC encrypted with a passphrase) and SPKI public key. */
export function generateKeyPair(kind: KeyKind, passphrase?: string): { privateKey: string; publicKey: string } {
  const pair =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', {
          namedCurve: kind === 'ecdsa-p256' ? 'P-256' : kind === 'ecdsa-p384' ? 'P-384' : 'P-521',
        });
  const privateKey = pair.privateKey.export(
    passphrase === undefined
      ? { type: 'pkcs8', format: 'pem' }
      : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  ) as string;
  return { privateKey, publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string };
}
