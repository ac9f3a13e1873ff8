import { createHash, X509Certificate } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Evidence } from '../contracts/index.js';
import {
  type Bundle,
  BundleError,
  type HashPool,
  readBundle,
  type TrustAnchor,
  verifyModel,
} from '../integrity/index.js';
import { MAX_EVIDENCE_FILE_BYTES, readBounded } from './read-bounded.js';

/** Files beside a model that are about it rather than part of it: signatures, attestations, BOMs. */
export interface ModelArtifacts {
  readonly signatures: readonly string[];
  readonly attestations: readonly string[];
  readonly boms: readonly string[];
}

const isSignature = (name: string) => name === 'model.sig' || name.endsWith('.sigstore.json');
const isAttestation = (name: string) =>
  name.endsWith('.intoto.jsonl') || name === 'provenance.json' || name.endsWith('.provenance.json');
const isBom = (name: string) => name.endsWith('.cdx.json') || name === 'bom.json';

/** The artifacts in the folder's top level, and `<folder>.provenance.json` beside it (mlsecops attest's default). */
export async function findArtifacts(dir: string): Promise<ModelArtifacts> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const inside = (test: (name: string) => boolean) =>
    names
      .filter(test)
      .sort()
      .map((name) => join(dir, name));
  const sibling = `${resolve(dir)}.provenance.json`;
  const siblingExists = await stat(sibling).then(
    (info) => info.isFile(),
    () => false,
  );
  // model.sig, the name the signing tools default to, comes first.
  const signatures = inside(isSignature).sort(
    (a, b) => Number(basename(b) === 'model.sig') - Number(basename(a) === 'model.sig'),
  );
  return {
    signatures,
    attestations: [...inside(isAttestation), ...(siblingExists ? [sibling] : [])],
    boms: inside(isBom),
  };
}

export interface SignatureCheck {
  readonly evidence: Evidence['signature'];
  /** Why it is not verified, when a signature is present. */
  readonly note?: string;
}

/**
 * The folder's signature: present when a bundle is there; verified only with a trust anchor, against
 * the files on disk. Attestations, BOMs and other bundles are often written after signing, so files of
 * those kinds the signature does not list do not fail it; any other difference does.
 */
export async function checkSignature(
  dir: string,
  artifacts: ModelArtifacts,
  trust: TrustAnchor | undefined,
  pool?: HashPool,
): Promise<SignatureCheck> {
  const path = artifacts.signatures[0];
  const absent = { present: false, verified: false, signer: '', subject: '' };
  if (!path) return { evidence: absent };
  const present = { ...absent, present: true };
  if (!trust) return { evidence: present, note: `${basename(path)} not verified: no trust anchor given` };
  let bundle: Bundle;
  try {
    bundle = await readBundle(path);
  } catch (error) {
    return { evidence: present, note: `${basename(path)} is not a signature bundle: ${(error as Error).message}` };
  }
  // Signatures, attestations and BOMs written after signing may be added; nothing else may change.
  const artifactNames = new Set(
    [...artifacts.signatures, ...artifacts.attestations, ...artifacts.boms]
      .filter((file) => resolve(dirname(file)) === resolve(dir))
      .map((file) => basename(file)),
  );
  try {
    const result = await verifyModel(dir, bundle, { trust, signatureName: basename(path), ...(pool ? { pool } : {}) });
    const onlyArtifactsAdded =
      result.removed.length === 0 &&
      result.changed.length === 0 &&
      result.added.every((name) => artifactNames.has(name));
    if (!result.verified && !onlyArtifactsAdded) {
      return { evidence: present, note: `${basename(path)}: ${result.reason ?? 'not verified'}` };
    }
    const digest = result.statement.subject[0]!.digest.sha256;
    return {
      evidence: { present: true, verified: true, signer: signerOf(trust, bundle), subject: `sha256:${digest}` },
    };
  } catch (error) {
    if (error instanceof BundleError) return { evidence: present, note: `${basename(path)}: ${error.message}` };
    throw error;
  }
}

/** Who signed, in the terms of the trust anchor that verified it. */
function signerOf(trust: TrustAnchor, bundle: Bundle): string {
  if (trust.kind === 'sigstore') return trust.identity;
  if (trust.kind === 'public-key') {
    return `key:sha256:${createHash('sha256')
      .update(trust.key.export({ type: 'spki', format: 'der' }))
      .digest('hex')}`;
  }
  const material = bundle.verificationMaterial;
  const leaf = material.x509CertificateChain?.certificates[0] ?? material.certificate;
  if (!leaf) return '';
  const certificate = new X509Certificate(Buffer.from(leaf.rawBytes, 'base64'));
  return certificate.subjectAltName ?? certificate.subject;
}

interface Statement {
  readonly predicateType?: unknown;
  readonly predicate?: {
    readonly buildDefinition?: {
      readonly resolvedDependencies?: readonly {
        readonly name?: unknown;
        readonly uri?: unknown;
        readonly digest?: Record<string, unknown>;
      }[];
    };
  };
}

export interface AttestationFacts {
  readonly provenance: boolean;
  readonly bom: boolean;
  readonly datasets: Evidence['lineage']['datasets'];
  readonly code: Evidence['lineage']['code'];
}

/**
 * What the attestations say: whether one is SLSA/in-toto provenance, whether a CycloneDX BOM is
 * there, and the datasets and code the provenance lists (read as recorded; a policy that needs them
 * verified checks `signature.verified` and verifies attestations with `mlsecops verify-attestation`).
 */
export async function readAttestations(artifacts: ModelArtifacts): Promise<AttestationFacts> {
  const statements: Statement[] = [];
  for (const path of artifacts.attestations) {
    const text = (await readBounded(path, MAX_EVIDENCE_FILE_BYTES)) ?? '';
    // One JSON document, or JSON Lines (`.intoto.jsonl`: one envelope per line).
    const whole = parseJson(text);
    const documents = whole === undefined ? text.split('\n').map(parseJson) : [whole];
    for (const document of documents) {
      const statement = statementOf(document);
      if (statement) statements.push(statement);
    }
  }
  let bom = false;
  for (const path of artifacts.boms) {
    const document = parseJson((await readBounded(path, MAX_EVIDENCE_FILE_BYTES)) ?? '') as { bomFormat?: unknown };
    if (document?.bomFormat === 'CycloneDX') bom = true;
  }
  const provenance = statements.filter(
    (s) => typeof s.predicateType === 'string' && s.predicateType.startsWith('https://slsa.dev/provenance/'),
  );
  const dependencies = provenance.flatMap((s) => s.predicate?.buildDefinition?.resolvedDependencies ?? []);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    provenance: provenance.length > 0,
    bom,
    datasets: dependencies
      .filter((d) => typeof d.digest?.sha256 === 'string' && d.digest.gitCommit === undefined)
      .map((d) => ({ name: text(d.name) || text(d.uri), sha256: text(d.digest?.sha256) })),
    code: dependencies
      .filter((d) => typeof d.digest?.gitCommit === 'string')
      .map((d) => ({ uri: text(d.uri), commit: text(d.digest?.gitCommit) })),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The in-toto statement of a bare statement, a DSSE envelope, or a Sigstore bundle holding one. */
function statementOf(document: unknown): Statement | undefined {
  if (!document || typeof document !== 'object') return undefined;
  const record = document as Record<string, unknown>;
  if (typeof record._type === 'string' && record._type.startsWith('https://in-toto.io/Statement/')) {
    return record as Statement;
  }
  const envelope = (record.dsseEnvelope ?? record) as { payload?: unknown; payloadType?: unknown };
  if (typeof envelope.payload !== 'string' || envelope.payloadType !== 'application/vnd.in-toto+json') return undefined;
  return statementOf(parseJson(Buffer.from(envelope.payload, 'base64').toString('utf8')));
}
