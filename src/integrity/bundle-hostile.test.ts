import { generateKeyPairSync } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/test-support.js';
import { type Bundle, BundleError, parseBundle } from './bundle.js';
import { computeManifest, serializationFor } from './manifest.js';
import { bundleFor, keySigner, omsStatement, privateKeyFromPem } from './sign.js';
import { integrityFixtures, resign } from './test-support.js';
import { verifyModel } from './verify.js';

const { scratch, model, keyFiles } = integrityFixtures('mlsecops-hostile-');

/** The statement fields the hostile cases rewrite. */
interface HostileStatement {
  predicateType: string;
  predicate: { resources: { name: string }[]; serialization: { hash_type: string } };
}

describe('hostile bundles: clear errors, never a verified result', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const trust = { kind: 'public-key' as const, key: publicKey };

  async function signedStatement(
    edit: (statement: HostileStatement) => void,
  ): Promise<{ root: string; bundle: Bundle }> {
    const root = model();
    const manifest = await computeManifest(root, serializationFor());
    const statement = JSON.parse(JSON.stringify(omsStatement(manifest)));
    edit(statement);
    return { root, bundle: resign(await bundleFor(manifest, keySigner(privateKey)), statement, privateKey) };
  }

  it.each([
    ['../outside', /not a plain relative path/],
    ['/etc/passwd', /absolute/],
    ['weights\\part-1.bin', /backslash/],
    ['C:/model.bin', /absolute/],
    ['weights/./part-1.bin', /not a plain relative path/],
  ])('refuses a signed resource named %s', async (name, message) => {
    const { root, bundle } = await signedStatement((s) => {
      s.predicate.resources[0]!.name = name;
    });
    await expect(verifyModel(root, bundle, { trust })).rejects.toThrow(message);
  });

  it('refuses a statement whose subject is not the root of its resources', async () => {
    const { root, bundle } = await signedStatement((s) => {
      s.predicate.resources.pop();
    });
    await expect(verifyModel(root, bundle, { trust })).rejects.toThrow(/not the root/);
  });

  it('refuses duplicate resources, unknown predicates and hash types', async () => {
    const dup = await signedStatement((s) => s.predicate.resources.push(s.predicate.resources[0]!));
    await expect(verifyModel(dup.root, dup.bundle, { trust })).rejects.toThrow(/twice/);
    const other = await signedStatement((s) => {
      s.predicateType = 'https://slsa.dev/provenance/v1';
    });
    await expect(verifyModel(other.root, other.bundle, { trust })).rejects.toThrow(BundleError);
    const md5 = await signedStatement((s) => {
      s.predicate.serialization.hash_type = 'md5';
    });
    await expect(verifyModel(md5.root, md5.bundle, { trust })).rejects.toThrow(BundleError);
  });

  it('turns malformed bundle files into errors naming the problem', async () => {
    expect(() => parseBundle('not json')).toThrow(/not JSON/);
    expect(() => parseBundle('{}')).toThrow(/not a Sigstore bundle/);
    expect(() =>
      parseBundle(
        JSON.stringify({
          mediaType: 'x',
          verificationMaterial: {},
          dsseEnvelope: { payload: '', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: '' }] },
        }),
      ),
    ).toThrow(/media type/);
    const root = model();
    writeFileSync(join(root, 'model.sig'), '{"mediaType": 7}');
    const result = await cli(['verify', root, '--public-key', join(scratch, 'missing.pem')]);
    expect(result.code).toBe(2);
    writeFileSync(
      join(scratch, 'rsa.pem'),
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const sign = await cli(['sign', root, '--key', keyFiles('ecdsa-p256').priv]);
    expect(sign.code).toBe(0);
    const rsa = await cli(['verify', root, '--public-key', join(scratch, 'rsa.pem')]);
    expect(rsa.code).toBe(1);
    expect(rsa.stderr).toMatch(/unsupported key type rsa/);
  });

  it('refuses a signature file larger than any real bundle without reading it', async () => {
    const root = model();
    const huge = join(scratch, 'huge.sig');
    writeFileSync(huge, '');
    truncateSync(huge, 65 * 1024 * 1024); // sparse: 65 MiB on paper, nothing on disk
    const result = await cli(['verify', root, '--signature', huge, '--public-key', keyFiles('ecdsa-p256').pub]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/signature file is 68157440 bytes/);
  });

  it('refuses an RSA private key for signing', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(() => privateKeyFromPem(pem)).toThrow(/unsupported key type rsa/);
  });
});

describe('keyless (Sigstore)', () => {
  // Keyless signing needs Fulcio, Rekor and an OIDC token, none of which this machine can reach: only
  // the offline parts are tested here. The published keyless bundle of model_signing verifies with
  // `verify --identity --issuer` against the embedded public-instance root (see the interop check).
  it('refuses a key-signed bundle under keyless trust, and asks for identity and issuer together', async () => {
    const root = model();
    const key = keyFiles('ecdsa-p256');
    await cli(['sign', root, '--key', key.priv]);
    const keyless = await cli([
      'verify',
      root,
      '--identity',
      'a@example.org',
      '--issuer',
      'https://accounts.example.org',
    ]);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toMatch(/NOT VERIFIED: (not a keyless Sigstore bundle|keyless verification failed)/);
    expect((await cli(['verify', root, '--identity', 'a@example.org'])).code).toBe(2);
    writeFileSync(join(scratch, 'root.json'), 'not json');
    const badRoot = await cli([
      'verify',
      root,
      '--identity',
      'a',
      '--issuer',
      'b',
      '--trusted-root',
      join(scratch, 'root.json'),
    ]);
    expect(badRoot.code).toBe(2);
  });

  it('embeds the public Sigstore trusted root', async () => {
    const { embeddedTrustedRoot } = await import('./sigstore.js');
    const trusted = embeddedTrustedRoot() as { certificateAuthorities: unknown[]; tlogs: unknown[] };
    expect(trusted.certificateAuthorities.length).toBeGreaterThan(0);
    expect(trusted.tlogs.length).toBeGreaterThan(0);
  });

  it('keyless signing needs a token, and exactly one way of signing', async () => {
    const root = model();
    const noToken = await cli(['sign', root, '--keyless'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/SIGSTORE_ID_TOKEN/);
    expect((await cli(['sign', root, '--keyless', '--key', keyFiles('ed25519').priv])).code).toBe(2);
    expect((await cli(['sign', root])).code).toBe(2);
  });
});

describe('mutated bundles (fuzz)', () => {
  it('never crash, and never verify unless the signed bytes are untouched', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const root = model();
    const original = await bundleFor(await computeManifest(root, serializationFor()), keySigner(privateKey));
    const text = JSON.stringify(original);
    const alphabet = '{}[]":,0123456789abcdefABCDEF+/=\\ nulltrue-.';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(text.length - 1), fc.constantFrom(...alphabet)), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const chars = [...text];
          for (const [at, char] of edits) chars[at] = char;
          const mutated = chars.join('');
          try {
            const bundle = parseBundle(mutated);
            const result = await verifyModel(root, bundle, { trust: { kind: 'public-key', key: publicKey } });
            if (result.verified) {
              // Base64 decoding is lenient, so compare the signed bytes, not their spelling.
              const bytes = (text: string) => Buffer.from(text, 'base64').toString('hex');
              expect(bytes(bundle.dsseEnvelope.payload)).toBe(bytes(original.dsseEnvelope.payload));
              const signatures = bundle.dsseEnvelope.signatures.map((signature) => bytes(signature.sig));
              expect(signatures).toContain(bytes(original.dsseEnvelope.signatures[0]?.sig ?? ''));
            }
          } catch (error) {
            expect(error).toBeInstanceOf(BundleError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
