import { createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { BundleError } from './bundle.js';

/** Key types signatures may use: ECDSA on the NIST curves and Ed25519. */
export type KeyKind = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'ed25519';

/** The kind of a public or private key, or a clear error for anything else (RSA, DSA, other curves). */
export function keyKind(key: KeyObject): KeyKind {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ecdsa-p256';
    if (curve === 'secp384r1' || curve === 'P-384') return 'ecdsa-p384';
    if (curve === 'secp521r1' || curve === 'P-521') return 'ecdsa-p521';
    throw new BundleError(`unsupported elliptic curve ${curve ?? 'unknown'} (P-256, P-384, P-521 or Ed25519)`);
  }
  throw new BundleError(
    `unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (ECDSA P-256/P-384/P-521 or Ed25519)`,
  );
}

/** The digest an ECDSA key signs with, as the model signing tool pairs them; none for Ed25519. */
export function signatureDigest(kind: KeyKind): 'sha256' | 'sha384' | 'sha512' | null {
  return kind === 'ecdsa-p256' ? 'sha256' : kind === 'ecdsa-p384' ? 'sha384' : kind === 'ecdsa-p521' ? 'sha512' : null;
}

/** A public key from PEM text (a public key, or a certificate whose key is taken). */
export function publicKeyFromPem(pem: string): KeyObject {
  try {
    if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
    return createPublicKey(pem);
  } catch (error) {
    throw new BundleError(`not a PEM public key: ${(error as Error).message}`);
  }
}

/** Verifies a DER (ECDSA) or raw (Ed25519) signature over `data`. */
export function verifySignature(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const kind = keyKind(key);
  try {
    return verify(signatureDigest(kind), data, kind === 'ed25519' ? key : { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** Every certificate in a PEM file (a trust bundle may hold several). */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new BundleError('no certificate in the PEM file');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new BundleError(`bad certificate in PEM file: ${(error as Error).message}`);
    }
  });
}

/**
 * Validates the bundle's chain (leaf first, then intermediates) up to one of `roots` at time `at`:
 * each certificate must be signed by the next (signatures checked, not only names, since a leaf may
 * carry its issuer's name) and be valid at `at`; every issuer must be a CA. Returns the leaf's key.
 */
export function verifyChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], at: Date): KeyObject {
  const leaf = chain[0];
  if (!leaf) throw new BundleError('the bundle holds no certificate');
  const timely = (cert: X509Certificate) => new Date(cert.validFrom) <= at && at <= new Date(cert.validTo);
  const issues = (issuer: X509Certificate, cert: X509Certificate) =>
    issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  for (const cert of chain) {
    if (!timely(cert)) throw new BundleError(`certificate ${cert.subject} is not valid at ${at.toISOString()}`);
  }
  // Walk up through the bundle's own certificates as far as signatures link them, then to a root.
  let current = leaf;
  const used = new Set<X509Certificate>([leaf]);
  for (let depth = 0; depth < 16; depth++) {
    const root = roots.find((candidate) => issues(candidate, current));
    if (root) {
      if (!timely(root)) throw new BundleError(`root certificate ${root.subject} is not valid at ${at.toISOString()}`);
      return leaf.publicKey;
    }
    const next = chain.find((candidate) => !used.has(candidate) && issues(candidate, current));
    if (!next) break;
    used.add(next);
    current = next;
  }
  throw new BundleError(`certificate chain does not lead to a trusted root (leaf ${leaf.subject})`);
}
