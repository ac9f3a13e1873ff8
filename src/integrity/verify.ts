import type { KeyObject, X509Certificate } from 'node:crypto';
import { X509Certificate as Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import {
  type Bundle,
  BundleError,
  MAX_BUNDLE_BYTES,
  type OmsStatement,
  pae,
  parseBundle,
  parseStatement,
} from './bundle.js';
import type { HashPool } from './hash-pool.js';
import { verifyChain, verifySignature } from './keys.js';
import { computeManifest, type Resource, rootDigest, type Serialization, serializationFor } from './manifest.js';
import { datasetDescriptor, type ProvenanceStatement, parseProvenance } from './provenance.js';
import { verifyKeyless } from './sigstore.js';

/** What the signature is checked against: a public key, or trust roots for a certificate chain. */
export type TrustAnchor =
  | { readonly kind: 'public-key'; readonly key: KeyObject }
  | { readonly kind: 'certificate-chain'; readonly roots: readonly X509Certificate[] }
  /** Keyless: a Fulcio certificate for `identity` from `issuer`, logged in Rekor, under `trustedRoot`. */
  | { readonly kind: 'sigstore'; readonly trustedRoot: unknown; readonly identity: string; readonly issuer: string };

export interface VerifyOptions {
  readonly trust: TrustAnchor;
  /** Extra paths to leave out (relative to the model), added to those the signature records. */
  readonly ignorePaths?: readonly string[];
  /** Files on disk that the signature does not list are not an error. */
  readonly ignoreUnsignedFiles?: boolean;
  /** Signature file name inside the model, left out of the recomputed manifest. */
  readonly signatureName?: string | null;
  /** Time at which certificates must be valid (default now). */
  readonly at?: Date;
  readonly pool?: HashPool;
}

export interface VerifyResult {
  readonly verified: boolean;
  /** Why verification failed, when it did. */
  readonly reason?: string;
  readonly statement: OmsStatement;
  readonly serialization: Serialization;
  /** Files on disk the signature does not list (left out of the failure with `ignoreUnsignedFiles`). */
  readonly added: readonly string[];
  /** Files the signature lists that are not on disk. */
  readonly removed: readonly string[];
  /** Files whose bytes differ from the signed digest. */
  readonly changed: readonly string[];
}

/** Reads a bundle file, refusing one larger than any real signature. */
export async function readBundle(path: string): Promise<Bundle> {
  const size = (await stat(path)).size;
  if (size > MAX_BUNDLE_BYTES) throw new BundleError(`signature file is ${size} bytes, more than ${MAX_BUNDLE_BYTES}`);
  return parseBundle(await readFile(path, 'utf8'));
}

/**
 * Verifies a model against an OpenSSF Model Signing bundle: the DSSE signature with the trusted key
 * or certificate chain, then the statement (an OMS predicate whose resources are safe paths and whose
 * root is the subject), then the model on disk, re-hashed with the serialization the signature
 * records, file by file: every added, removed and changed file is named. Throws `BundleError` when the
 * bundle itself cannot be trusted; returns `verified: false` with the differences otherwise.
 */
export async function verifyModel(model: string, bundle: Bundle, options: VerifyOptions): Promise<VerifyResult> {
  const payload = verifiedPayload(bundle, options.trust, options.at);

  const statement = parseStatement(payload);
  const signedResources = statement.predicate.resources as readonly Resource[];
  if (rootDigest(signedResources) !== statement.subject[0]!.digest.sha256) {
    throw new BundleError('the signed subject digest is not the root of the signed resources');
  }
  const recorded = statement.predicate.serialization;
  const serialization = serializationFor({
    method: recorded.method,
    allowSymlinks: recorded.allow_symlinks,
    ignorePaths: [...(recorded.ignore_paths ?? []), ...(options.ignorePaths ?? [])],
    signature: options.signatureName === undefined ? 'model.sig' : options.signatureName,
    ...(recorded.shard_size === undefined ? {} : { shardSize: recorded.shard_size }),
  });
  const manifest = await computeManifest(model, serialization, options.pool);

  const { added, removed, changed } = compareResources(
    signedResources,
    manifest.resources,
    recorded.method === 'shards',
  );
  const unsigned = options.ignoreUnsignedFiles ? [] : [...added];
  const problems = [
    ...unsigned.map((name) => `added ${name}`),
    ...[...removed].map((name) => `removed ${name}`),
    ...[...changed].map((name) => `changed ${name}`),
  ];
  return {
    verified: problems.length === 0,
    ...(problems.length
      ? {
          reason: `the model on disk differs from the signed manifest: ${problems.slice(0, 20).join(', ')}${problems.length > 20 ? ', …' : ''}`,
        }
      : {}),
    statement,
    serialization,
    added,
    removed,
    changed,
  };
}

/**
 * Files added, removed and changed between the signed resources and those on disk. Shards are grouped
 * by file: a file whose shards differ in any way (digest, count, length) is changed.
 */
export function compareResources(
  signed: readonly Resource[],
  onDisk: readonly Resource[],
  shards: boolean,
): { added: string[]; removed: string[]; changed: string[] } {
  const byFile = (resources: readonly Resource[]) => {
    const files = new Map<string, string[]>();
    for (const resource of resources) {
      const file = shards ? resource.name.replace(/:\d+:\d+$/, '') : resource.name;
      const list = files.get(file) ?? [];
      list.push(`${resource.name}=${resource.digest}`);
      files.set(file, list);
    }
    return files;
  };
  const expected = byFile(signed);
  const actual = byFile(onDisk);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [file, entries] of actual) {
    const want = expected.get(file);
    if (!want) added.push(file);
    else if (want.length !== entries.length || want.some((entry, i) => entry !== entries[i])) changed.push(file);
  }
  for (const file of expected.keys()) if (!actual.has(file)) removed.push(file);
  return { added, removed, changed };
}

/**
 * The envelope's payload, once its signature verifies with the trusted key or a certificate chained to
 * a trusted root; a `BundleError` otherwise. Nothing in the payload is read before this.
 */
export function verifiedPayload(bundle: Bundle, trust: TrustAnchor, at = new Date()): Buffer {
  const envelope = bundle.dsseEnvelope;
  const payload = Buffer.from(envelope.payload, 'base64');
  if (trust.kind === 'sigstore') {
    verifyKeyless(bundle, trust.trustedRoot, trust);
    return payload;
  }
  const key = signingKey(bundle, trust, at);
  const signed = pae(envelope.payloadType, payload);
  const good = envelope.signatures.some((signature) =>
    verifySignature(key, signed, Buffer.from(signature.sig, 'base64')),
  );
  if (!good) throw new BundleError('the signature does not verify with the given key or certificate');
  return payload;
}

/** The key the envelope must verify with, from the trust anchor and the bundle's material. */
function signingKey(bundle: Bundle, trust: Exclude<TrustAnchor, { kind: 'sigstore' }>, at: Date): KeyObject {
  const material = bundle.verificationMaterial;
  if (trust.kind === 'public-key') {
    if (!material.publicKey) {
      throw new BundleError('the bundle was signed with a certificate, not a bare key: verify with --cert-chain');
    }
    return trust.key;
  }
  const raw = material.x509CertificateChain?.certificates ?? (material.certificate ? [material.certificate] : []);
  if (raw.length === 0) throw new BundleError('the bundle holds no certificate: verify with --public-key');
  const chain = raw.map((entry, index) => {
    try {
      return new Certificate(Buffer.from(entry.rawBytes, 'base64'));
    } catch (error) {
      throw new BundleError(`certificate ${index} of the bundle is not X.509 DER: ${(error as Error).message}`);
    }
  });
  return verifyChain(chain, trust.roots, at);
}

export interface AttestationResult {
  readonly verified: boolean;
  readonly reason?: string;
  readonly statement: ProvenanceStatement;
  /** Root digest of the model on disk, hashed with the serialization the attestation records. */
  readonly modelDigest: string;
  /** Datasets given to check, and whether the attestation lists each one's digest. */
  readonly datasets: readonly { readonly path: string; readonly digest: string; readonly listed: boolean }[];
}

/**
 * Verifies a provenance attestation: the signature (as for a model signature), then the statement
 * (SLSA provenance v1), then its subject against the model on disk, and, for each dataset given, that
 * its digest is among the recorded dependencies.
 */
export async function verifyAttestation(
  model: string,
  bundle: Bundle,
  options: {
    readonly trust: TrustAnchor;
    readonly datasets?: readonly string[];
    readonly at?: Date;
    readonly pool?: HashPool;
  },
): Promise<AttestationResult> {
  const statement = parseProvenance(verifiedPayload(bundle, options.trust, options.at));
  const subject = statement.subject[0]!;
  const recorded = subject.annotations?.serialization;
  const serialization = serializationFor(
    recorded
      ? {
          method: recorded.method,
          allowSymlinks: recorded.allow_symlinks,
          ignorePaths: recorded.ignore_paths,
          ignoreGitPaths: false,
          signature: null,
          ...(recorded.shard_size === undefined ? {} : { shardSize: recorded.shard_size }),
        }
      : {},
  );
  const manifest = await computeManifest(model, serialization, options.pool);
  const listed = new Set(
    (statement.predicate.buildDefinition.resolvedDependencies ?? []).map((dependency) => dependency.digest.sha256),
  );
  const datasets = [];
  for (const path of options.datasets ?? []) {
    const { digest } = await datasetDescriptor(path, options.pool);
    datasets.push({ path, digest: digest.sha256!, listed: listed.has(digest.sha256) });
  }
  const problems = [
    ...(manifest.rootDigest === subject.digest.sha256
      ? []
      : [
          `the model on disk (sha256:${manifest.rootDigest}) is not the attested subject (sha256:${subject.digest.sha256})`,
        ]),
    ...datasets
      .filter((d) => !d.listed)
      .map((d) => `dataset ${d.path} (sha256:${d.digest}) is not among the attested dependencies`),
  ];
  return {
    verified: problems.length === 0,
    ...(problems.length ? { reason: problems.join('; ') } : {}),
    statement,
    modelDigest: manifest.rootDigest,
    datasets,
  };
}
