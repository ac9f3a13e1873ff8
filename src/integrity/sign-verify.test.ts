import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/test-support.js';
import { parseBundle } from './bundle.js';
import { computeManifest, serializationFor } from './manifest.js';
import { bundleFor, certificateSigner, keySigner, omsStatement, signModel } from './sign.js';
import { integrityFixtures, resign } from './test-support.js';
import { verifyModel } from './verify.js';

const { scratch, model, keyFiles } = integrityFixtures('mlsecops-sign-');

describe('sign and verify with a key (CLI)', () => {
  for (const kind of ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519'] as const) {
    it(`${kind}: signs, verifies, and names every changed, removed and added file`, async () => {
      const root = model();
      const key = keyFiles(kind);
      const signed = await cli(['sign', root, '--key', key.priv]);
      expect(signed.code, signed.stderr).toBe(0);
      expect((await cli(['verify', root, '--public-key', key.pub])).code).toBe(0);
      appendFileSync(join(root, 'config.json'), ' ');
      unlinkSync(join(root, 'weights', 'part-2.bin'));
      writeFileSync(join(root, 'weights', 'extra.bin'), 'x');
      const tampered = await cli(['verify', root, '--public-key', key.pub]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/changed\s+config\.json/);
      expect(tampered.stdout).toMatch(/removed\s+weights\/part-2\.bin/);
      expect(tampered.stdout).toMatch(/added\s+weights\/extra\.bin/);
    });
  }

  it('--ignore-unsigned-files accepts added files but not changed ones', async () => {
    const root = model();
    const key = keyFiles('ecdsa-p256');
    await cli(['sign', root, '--key', key.priv]);
    writeFileSync(join(root, 'README.md'), 'added later');
    expect((await cli(['verify', root, '--public-key', key.pub])).code).toBe(1);
    expect((await cli(['verify', root, '--public-key', key.pub, '--ignore-unsigned-files'])).code).toBe(0);
  });

  it('shards: the bundle records method and shard size, and verify re-hashes with them', async () => {
    const root = model();
    const key = keyFiles('ecdsa-p384');
    expect((await cli(['sign', root, '--key', key.priv, '--shards', '--shard-size', '1024'])).code).toBe(0);
    const bundle = parseBundle(readFileSync(join(root, 'model.sig'), 'utf8'));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8');
    expect(payload).toContain('"shard_size": 1024.0'); // a float, as model_signing writes it
    const statement = JSON.parse(payload);
    expect(statement.predicate.serialization).toMatchObject({ method: 'shards', shard_size: 1024 });
    expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toContain(
      'weights/part-1.bin:3072:4096',
    );
    expect((await cli(['verify', root, '--public-key', key.pub])).code).toBe(0);
    appendFileSync(join(root, 'weights', 'part-1.bin'), 'more');
    const changed = await cli(['verify', root, '--public-key', key.pub]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/changed\s+weights\/part-1\.bin/);
  });

  it('an encrypted key needs its passphrase', async () => {
    const root = model();
    const key = keyFiles('ecdsa-p256', 'correct horse');
    expect((await cli(['sign', root, '--key', key.priv])).stderr).toMatch(/encrypted|passphrase/);
    expect((await cli(['sign', root, '--key', key.priv, '--passphrase-env', 'PASS'], { PASS: 'wrong' })).code).not.toBe(
      0,
    );
    expect(
      (await cli(['sign', root, '--key', key.priv, '--passphrase-env', 'PASS'], { PASS: 'correct horse' })).code,
    ).toBe(0);
    expect((await cli(['verify', root, '--public-key', key.pub])).code).toBe(0);
  });

  it('another key does not verify: exit 1, never a verified result', async () => {
    const root = model();
    await cli(['sign', root, '--key', keyFiles('ecdsa-p256').priv]);
    const other = await cli(['verify', root, '--public-key', keyFiles('ecdsa-p256').pub]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/NOT VERIFIED: the signature does not verify/);
  });

  it('keygen refuses to overwrite a key', async () => {
    const base = join(scratch, 'kg');
    expect((await cli(['keygen', base, '--type', 'ed25519'])).code).toBe(0);
    expect(createPrivateKey(readFileSync(`${base}.pem`)).asymmetricKeyType).toBe('ed25519');
    const again = await cli(['keygen', base]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
  });
});

/** A root CA, an intermediate and a leaf made by openssl, the leaf named like its issuer as in model_signing's vectors. */
describe('sign and verify with a certificate chain', () => {
  const pki = join(scratch, 'pki');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  beforeAll(() => {
    mkdirSync(pki, { recursive: true });
    writeFileSync(join(pki, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
    writeFileSync(
      join(pki, 'leaf.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n',
    );
    for (const name of ['root', 'int', 'leaf', 'other']) {
      run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
    }
    // Two self-signed roots of the same name: only signatures tell them apart.
    for (const name of ['root', 'other']) {
      run(
        'req',
        '-x509',
        '-new',
        '-key',
        `${name}.key`,
        '-subj',
        '/CN=root-ca',
        '-days',
        '3650',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign',
        '-out',
        `${name}.pem`,
      );
    }
    run('req', '-new', '-key', 'int.key', '-subj', '/CN=intermediate-ca', '-out', 'int.csr');
    run(
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-extfile',
      'ca.ext',
      '-out',
      'int.pem',
    );
    run('req', '-new', '-key', 'leaf.key', '-subj', '/CN=intermediate-ca', '-out', 'leaf.csr');
    run(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'int.pem',
      '-CAkey',
      'int.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-extfile',
      'leaf.ext',
      '-out',
      'leaf.pem',
    );
  });

  it('verifies up to the trusted root and not to another root of the same name', async () => {
    const root = model();
    const p = (name: string) => join(pki, name);
    const signed = await cli(['sign', root, '--key', p('leaf.key'), '--cert', p('leaf.pem'), '--chain', p('int.pem')]);
    expect(signed.code, signed.stderr).toBe(0);
    const bundle = parseBundle(readFileSync(join(root, 'model.sig'), 'utf8'));
    expect(bundle.verificationMaterial.x509CertificateChain?.certificates).toHaveLength(2);
    expect((await cli(['verify', root, '--cert-chain', p('root.pem')])).code).toBe(0);
    const wrongRoot = await cli(['verify', root, '--cert-chain', p('other.pem')]);
    expect(wrongRoot.code).toBe(1);
    expect(wrongRoot.stderr).toMatch(/does not lead to a trusted root/);
    const asKey = await cli(['verify', root, '--public-key', p('leaf.pem')]);
    expect(asKey.code).toBe(1);
    expect(asKey.stderr).toMatch(/--cert-chain/);
  });

  it('refuses a key that is not the certificate key', () => {
    const leaf = new X509Certificate(readFileSync(join(pki, 'leaf.pem')));
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => certificateSigner(stranger, leaf, [])).toThrow(/not the key of certificate/);
  });
});

describe('the bundle has the model signing tool shape', () => {
  it('carries exactly the fields model_signing writes and reads', async () => {
    const root = model();
    const key = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const { bundle } = await signModel(root, serializationFor({ ignorePaths: ['notes'] }), keySigner(key));
    expect(Object.keys(bundle)).toEqual(['mediaType', 'verificationMaterial', 'dsseEnvelope']);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(Object.keys(bundle.verificationMaterial)).toEqual(['publicKey', 'tlogEntries']);
    expect(bundle.verificationMaterial.publicKey?.hint).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(bundle.dsseEnvelope)).toEqual(['payload', 'payloadType', 'signatures']);
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(Object.keys(statement)).toEqual(['_type', 'subject', 'predicateType', 'predicate']);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://model_signing/signature/v1.0');
    expect(statement.subject[0].name).toBe(root.split('/').at(-1));
    expect(Object.keys(statement.predicate.resources[0])).toEqual(['algorithm', 'name', 'digest']);
    expect(statement.predicate.serialization).toEqual({
      method: 'files',
      hash_type: 'sha256',
      allow_symlinks: false,
      ignore_paths: expect.arrayContaining(['notes', '.git', '.gitattributes', '.github', '.gitignore', 'model.sig']),
    });
  });

  it('verifies a bundle in the v1.0 layout: keyid null, no key hint, no recorded ignore paths', async () => {
    const root = model();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const manifest = await computeManifest(root, serializationFor());
    const statement = omsStatement(manifest) as { predicate: { serialization: Record<string, unknown> } };
    delete statement.predicate.serialization.ignore_paths;
    const bundle = resign(await bundleFor(manifest, keySigner(privateKey)), statement, privateKey);
    bundle.verificationMaterial = { publicKey: {} };
    (bundle.dsseEnvelope.signatures[0] as { keyid: string | null }).keyid = null;
    const checked = parseBundle(JSON.stringify(bundle));
    const result = await verifyModel(root, checked, { trust: { kind: 'public-key', key: publicKey } });
    expect(result.verified).toBe(true);
  });
});
