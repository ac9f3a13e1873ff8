import type { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { type Command, Option } from 'commander';
import {
  BundleError,
  certificateSigner,
  certificatesFromPem,
  generateKeyPair,
  type KeyKind,
  keylessSigner,
  keySigner,
  privateKeyFromPem,
  type Signer,
  serializationFor,
  signModel,
} from '../../integrity/index.js';
import { CliError } from '../errors.js';
import { addSerializationOptions, type SerializationFlags, serializationFromFlags } from './digest.js';
import type { Io } from './shared.js';

const keyKinds: readonly KeyKind[] = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519'];

export function registerKeygen(program: Command, io: Io): void {
  program
    .command('keygen')
    .description('create a signing key pair: <out>.pem (private, PKCS#8) and <out>.pub.pem (public)')
    .argument('<out>', 'path prefix of the two files')
    .addOption(new Option('--type <type>', 'key type').choices(keyKinds).default('ecdsa-p256'))
    .option('--passphrase-env <var>', 'encrypt the private key (AES-256-CBC) with the passphrase in this variable')
    .action(async (out: string, flags: { type: KeyKind; passphraseEnv?: string }) => {
      const passphrase = passphraseFrom(io, flags.passphraseEnv);
      const pair = generateKeyPair(flags.type, passphrase);
      await writeFile(`${out}.pem`, pair.privateKey, { mode: 0o600, flag: 'wx' }).catch(refuseOverwrite(`${out}.pem`));
      await writeFile(`${out}.pub.pem`, pair.publicKey, { flag: 'wx' }).catch(refuseOverwrite(`${out}.pub.pem`));
      io.stdout.write(
        `wrote ${out}.pem (private${passphrase ? ', encrypted' : ''}) and ${out}.pub.pem (${flags.type})\n`,
      );
    });
}

export function registerSign(program: Command, io: Io): void {
  const command = program
    .command('sign')
    .description('sign a model folder or file: an OpenSSF Model Signing bundle (Sigstore bundle v0.3, DSSE, in-toto)')
    .argument('<model>', 'model folder or file');
  addSignerOptions(command);
  addSerializationOptions(command);
  command.action(async (model: string, flags: SerializationFlags & SignerFlags) => {
    const signer = await signerFromFlags(io, flags);
    const serialization = serializationFor(serializationFromFlags(model, flags));
    const { bundle, manifest } = await signModel(model, serialization, signer);
    const folder = (await stat(model)).isDirectory() ? model : dirname(model);
    const out = isAbsolute(flags.signature) ? flags.signature : join(folder, flags.signature);
    await writeFile(out, `${JSON.stringify(bundle)}\n`);
    const unit = manifest.serialization.method === 'shards' ? 'shards' : 'files';
    io.stdout.write(
      `signed ${manifest.resources.length} ${unit} of ${model}: sha256:${manifest.rootDigest} → ${out}\n`,
    );
  });
}

/** The flags that choose how to sign: a key (with its passphrase and certificate chain), or keyless. */
export interface SignerFlags {
  readonly key?: string;
  readonly passphraseEnv?: string;
  readonly cert?: string;
  readonly chain?: string[];
  readonly keyless?: boolean;
  readonly identityTokenEnv?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
}

/** Adds the signer flags to a command. */
export function addSignerOptions(command: Command): Command {
  return command
    .option('--key <pem>', 'private key (ECDSA P-256/P-384/P-521 or Ed25519)')
    .option('--passphrase-env <var>', 'environment variable holding the private key passphrase')
    .option('--cert <pem>', "the key's certificate (the bundle then carries the certificate chain)")
    .option('--chain <pem...>', 'intermediate (and root) certificates, in order from the leaf')
    .option('--keyless', 'Sigstore keyless signing: Fulcio certificate + Rekor entry (needs network and a token)')
    .option(
      '--identity-token-env <var>',
      'environment variable holding the OIDC identity token (--keyless)',
      'SIGSTORE_ID_TOKEN',
    )
    .option('--fulcio-url <url>', 'Fulcio of a private Sigstore instance (--keyless)')
    .option('--rekor-url <url>', 'Rekor of a private Sigstore instance (--keyless)');
}

/** The signer the flags describe: the key alone, the key with its certificate chain, or keyless. */
export async function signerFromFlags(io: Io, flags: SignerFlags): Promise<Signer> {
  if (Boolean(flags.key) === Boolean(flags.keyless)) {
    throw new CliError('BAD_ARGUMENTS', 'give exactly one of --key <pem> or --keyless');
  }
  if (flags.keyless) {
    const variable = flags.identityTokenEnv ?? 'SIGSTORE_ID_TOKEN';
    const identityToken = io.env[variable];
    if (!identityToken) {
      throw new CliError(
        'BAD_ARGUMENTS',
        `--keyless needs an OIDC identity token in the environment variable ${variable}`,
      );
    }
    return keylessSigner({
      identityToken,
      ...(flags.fulcioUrl ? { fulcioURL: flags.fulcioUrl } : {}),
      ...(flags.rekorUrl ? { rekorURL: flags.rekorUrl } : {}),
    });
  }
  const keyPath = flags.key as string;
  const key = await asUsage(async () =>
    privateKeyFromPem(await readText(keyPath), passphraseFrom(io, flags.passphraseEnv)),
  );
  if (flags.chain && !flags.cert) throw new CliError('BAD_ARGUMENTS', '--chain needs --cert');
  if (!flags.cert) return keySigner(key);
  const [leaf] = certificatesFromPem(await readText(flags.cert));
  const chain: X509Certificate[] = [];
  for (const path of flags.chain ?? []) chain.push(...certificatesFromPem(await readText(path)));
  return asUsage(async () => certificateSigner(key, leaf as X509Certificate, chain));
}

/** Key and certificate problems when signing are bad arguments (exit 2), not a verification verdict. */
async function asUsage<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof BundleError) throw new CliError('BAD_ARGUMENTS', error.message);
    throw error;
  }
}

function passphraseFrom(io: Io, variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = io.env[variable];
  if (value === undefined || value === '')
    throw new CliError('BAD_ARGUMENTS', `environment variable ${variable} is not set`);
  return value;
}

function refuseOverwrite(path: string) {
  return (error: NodeJS.ErrnoException): never => {
    if (error.code === 'EEXIST') throw new CliError('BAD_ARGUMENTS', `${path} exists; not overwriting a key`);
    throw new CliError('PATH_UNREADABLE', `cannot write ${path}: ${error.code ?? error.message}`);
  };
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError('PATH_UNREADABLE', `cannot read ${path}: ${error.code ?? error.message}`);
  });
}
