import { createHash } from 'node:crypto';
import {
  type Bundle,
  BundleError,
  parseBundle,
  parseStatement,
  rootDigest,
  type TrustAnchor,
  verifiedPayload,
} from '../integrity/index.js';
import type { Database } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';

/** What the registry records about a version's verified signature. */
export interface SignatureRecord {
  readonly verified: true;
  /** Which trust anchor verified it: `key sha256:<spki>` or `certificate <subject>`. */
  readonly signer: string;
  readonly subject: string;
  readonly verifiedAt: string;
}

/** A trust anchor's name in records and errors. */
function anchorName(anchor: TrustAnchor): string {
  if (anchor.kind === 'public-key') {
    return `key sha256:${createHash('sha256')
      .update(anchor.key.export({ type: 'spki', format: 'der' }))
      .digest('hex')}`;
  }
  if (anchor.kind === 'certificate-chain')
    return `certificate chain to ${anchor.roots.map((root) => root.subject).join(', ')}`;
  return `sigstore ${anchor.identity} (${anchor.issuer})`;
}

/**
 * Attaches an OpenSSF Model Signing bundle to a version: it must verify with one of the registry's
 * trust anchors, and its manifest must be the uploaded file itself (files serialization, one resource
 * whose SHA-256 is the artifact's), so a signature for other bytes can never vouch for this upload.
 */
export async function attachSignature(
  database: Database,
  audit: AuditTrail,
  trust: readonly TrustAnchor[],
  principal: Principal,
  model: string,
  number: number,
  bundleText: string,
): Promise<SignatureRecord> {
  if (trust.length === 0) throw new RegistryError('INVALID', 'this registry has no signature trust configured');
  const version = await database.db
    .selectFrom('model_versions')
    .innerJoin('models', 'models.id', 'model_versions.model_id')
    .select(['model_versions.id', 'model_versions.artifact_digest', 'model_versions.metadata'])
    .where('models.name', '=', model)
    .where('model_versions.number', '=', number)
    .executeTakeFirst();
  if (!version?.artifact_digest) throw new RegistryError('NOT_FOUND', `no version ${number} of ${model}`);
  let bundle: Bundle;
  try {
    bundle = parseBundle(bundleText);
  } catch (error) {
    throw new RegistryError('INVALID', (error as Error).message);
  }
  let signer: string | undefined;
  let payload: Buffer | undefined;
  for (const anchor of trust) {
    try {
      payload = verifiedPayload(bundle, anchor);
      signer = anchorName(anchor);
      break;
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
    }
  }
  if (!payload || !signer)
    throw new RegistryError('FORBIDDEN', 'the signature does not verify with any trusted key or certificate');
  let subject: string;
  try {
    const statement = parseStatement(payload);
    const { resources, serialization } = statement.predicate;
    if (rootDigest(resources as never) !== statement.subject[0]!.digest.sha256) {
      throw new RegistryError('INVALID', 'the signed subject is not the root of the signed resources');
    }
    if (
      serialization.method !== 'files' ||
      resources.length !== 1 ||
      resources[0]!.digest !== version.artifact_digest
    ) {
      throw new RegistryError(
        'FORBIDDEN',
        `the signature does not cover this artifact (sha256:${version.artifact_digest}): sign the uploaded file itself`,
      );
    }
    subject = `${resources[0]!.name} sha256:${resources[0]!.digest}`;
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw new RegistryError('INVALID', (error as Error).message);
  }
  const record: SignatureRecord = { verified: true, signer, subject, verifiedAt: new Date().toISOString() };
  await database.db.transaction().execute(async (tx) => {
    // The bundle is kept too, so clients can verify the signature themselves when they pull.
    const metadata = { ...(JSON.parse(version.metadata) as object), signature: record, signatureBundle: bundleText };
    await tx
      .updateTable('model_versions')
      .set({ metadata: JSON.stringify(metadata) })
      .where('id', '=', version.id)
      .execute();
    await audit.append(tx, {
      kind: 'signature.verified',
      actor: actorOf(principal),
      details: { model, version: number, signer, subject },
    });
  });
  return record;
}

/** The signature bundle attached to a version, as uploaded. */
export async function signatureBundle(database: Database, model: string, number: number): Promise<string> {
  const row = await database.db
    .selectFrom('model_versions')
    .innerJoin('models', 'models.id', 'model_versions.model_id')
    .select('model_versions.metadata')
    .where('models.name', '=', model)
    .where('model_versions.number', '=', number)
    .executeTakeFirst();
  const bundle = row ? (JSON.parse(row.metadata) as { signatureBundle?: string }).signatureBundle : undefined;
  if (!bundle) throw new RegistryError('NOT_FOUND', `version ${number} of ${model} has no signature`);
  return bundle;
}
