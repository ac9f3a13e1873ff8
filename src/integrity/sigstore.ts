import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { attest } from 'sigstore';
import { type Bundle, BundleError, IN_TOTO_PAYLOAD_TYPE } from './bundle.js';

/** Who must have signed a keyless bundle: the certificate's identity and its OIDC issuer. */
export interface KeylessPolicy {
  readonly identity: string;
  readonly issuer: string;
}

/**
 * The public Sigstore instance's trusted root (Fulcio CAs, Rekor and CT log keys, timestamp
 * authorities) as embedded in the Sigstore client packages: verification needs no network. Keys
 * rotate; a newer `trusted_root.json` (from the Sigstore TUF repository) can be given instead.
 */
export function embeddedTrustedRoot(): unknown {
  const require = createRequire(import.meta.url);
  const seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Record<
    string,
    { targets?: Record<string, string> }
  >;
  const encoded = seeds['https://tuf-repo-cdn.sigstore.dev']?.targets?.['trusted_root.json'];
  if (!encoded) throw new BundleError('the Sigstore client package holds no trusted root');
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
}

/**
 * Verifies a keyless (Fulcio certificate + Rekor entry) bundle offline against a trusted root: the
 * certificate chain to Fulcio at the time the log integrated the entry, the certificate transparency
 * proof, the transparency-log inclusion, the signature, and that the certificate names `policy`'s
 * identity and issuer. Throws `BundleError` saying what failed.
 */
export function verifyKeyless(bundle: Bundle, trustedRoot: unknown, policy: KeylessPolicy): void {
  let verifier: Verifier;
  try {
    verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), {
      tlogThreshold: 1,
      ctlogThreshold: 1,
      tsaThreshold: 0,
    });
  } catch (error) {
    throw new BundleError(`unusable Sigstore trusted root: ${(error as Error).message}`);
  }
  let entity: ReturnType<typeof toSignedEntity>;
  try {
    entity = toSignedEntity(bundleFromJSON(bundle));
  } catch (error) {
    throw new BundleError(`not a keyless Sigstore bundle: ${(error as Error).message}`);
  }
  try {
    verifier.verify(entity, { subjectAlternativeName: policy.identity, extensions: { issuer: policy.issuer } });
  } catch (error) {
    throw new BundleError(`keyless verification failed: ${(error as Error).message}`);
  }
}

/** Options of keyless signing: an OIDC identity token and, for private instances, the service URLs. */
export interface KeylessOptions {
  readonly identityToken: string;
  readonly fulcioURL?: string;
  readonly rekorURL?: string;
}

/**
 * Signs a payload keyless: Fulcio issues a short-lived certificate for the token's identity, the DSSE
 * signature is logged in Rekor, and the bundle carries both. Needs the network and a token; it cannot
 * run (or be tested) without them.
 */
export async function signKeyless(payload: Buffer, options: KeylessOptions): Promise<Bundle> {
  const bundle = await attest(payload, IN_TOTO_PAYLOAD_TYPE, {
    identityToken: options.identityToken,
    ...(options.fulcioURL ? { fulcioURL: options.fulcioURL } : {}),
    ...(options.rekorURL ? { rekorURL: options.rekorURL } : {}),
  });
  return bundle as unknown as Bundle;
}
