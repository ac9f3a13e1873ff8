import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../../contracts/index.js';
import {
  BundleError,
  certificatesFromPem,
  embeddedTrustedRoot,
  publicKeyFromPem,
  readBundle,
  type TrustAnchor,
  verifyModel,
} from '../../integrity/index.js';
import { CliError } from '../errors.js';
import type { Io } from './shared.js';
import { readText } from './sign.js';

/** The flags that say what to trust: one of them. */
export interface TrustFlags {
  readonly publicKey?: string;
  readonly certChain?: string[];
  readonly identity?: string;
  readonly issuer?: string;
  readonly trustedRoot?: string;
}

interface VerifyFlags extends TrustFlags {
  readonly signature?: string;
  readonly ignorePaths?: string[];
  readonly ignoreUnsignedFiles: boolean;
  readonly json: boolean;
}

export function registerVerify(program: Command, io: Io): void {
  program
    .command('verify')
    .description('verify a model folder or file against an OpenSSF Model Signing signature (Sigstore bundle)')
    .argument('<model>', 'model folder or file')
    .option('--signature <file>', 'the signature bundle (default: model.sig in the model folder)')
    .option('--public-key <pem>', 'verify with this public key (ECDSA P-256/P-384/P-521 or Ed25519)')
    .option('--cert-chain <pem...>', 'verify the bundle certificate chain up to these trusted root certificates')
    .option('--identity <identity>', 'keyless (Sigstore) signer identity: the e-mail or URI in the certificate')
    .option('--issuer <url>', 'keyless (Sigstore) OIDC issuer of that identity')
    .option(
      '--trusted-root <json>',
      'Sigstore trusted_root.json (default: the public instance root shipped with mlsecops)',
    )
    .option('--ignore-paths <paths...>', 'more files or folders to leave out (relative to the model, or absolute)')
    .option('--ignore-unsigned-files', 'files on disk the signature does not list are not an error', false)
    .option('--json', 'print the result as JSON', false)
    .action(async (model: string, flags: VerifyFlags) => {
      const trust = await trustFrom(flags);
      const signaturePath = flags.signature ?? join(model, 'model.sig');
      const bundle = await readBundle(signaturePath).catch((error: NodeJS.ErrnoException) => {
        if (error instanceof BundleError) throw error;
        throw new CliError('PATH_UNREADABLE', `cannot read signature ${signaturePath}: ${error.code ?? error.message}`);
      });
      const root = resolve(model);
      const ignorePaths = (flags.ignorePaths ?? []).map((path) => (isAbsolute(path) ? relativeTo(root, path) : path));
      const signatureInside = relativeTo(root, resolve(signaturePath));
      const result = await verifyModel(model, bundle, {
        trust,
        ignorePaths: ignorePaths.filter((path): path is string => path !== undefined),
        ignoreUnsignedFiles: flags.ignoreUnsignedFiles,
        signatureName: signatureInside ?? basename(signaturePath),
      });
      if (flags.json) {
        const { verified, reason, added, removed, changed } = result;
        io.stdout.write(
          `${JSON.stringify({ verified, reason, subject: result.statement.subject[0], added, removed, changed }, null, 2)}\n`,
        );
      } else if (result.verified) {
        io.stdout.write(
          `verified: ${model} matches the signed manifest (sha256:${result.statement.subject[0]!.digest.sha256})\n`,
        );
      } else {
        io.stdout.write(`NOT VERIFIED: ${model}\n`);
        for (const name of result.changed) io.stdout.write(`  changed  ${name}\n`);
        for (const name of result.removed) io.stdout.write(`  removed  ${name}\n`);
        for (const name of result.added)
          io.stdout.write(`  added    ${name}${flags.ignoreUnsignedFiles ? ' (ignored)' : ''}\n`);
      }
      io.setExitCode(result.verified ? exitCodes.clean : exitCodes.findings);
    });
}

function relativeTo(root: string, path: string): string | undefined {
  const prefix = `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

export async function trustFrom(flags: TrustFlags): Promise<TrustAnchor> {
  const chosen = [flags.publicKey, flags.certChain, flags.identity ?? flags.issuer].filter((x) => x !== undefined);
  if (chosen.length !== 1) {
    throw new CliError('BAD_ARGUMENTS', 'give exactly one of --public-key, --cert-chain, or --identity with --issuer');
  }
  if (flags.publicKey) return { kind: 'public-key', key: publicKeyFromPem(await readText(flags.publicKey)) };
  if (flags.certChain) {
    const roots = [];
    for (const path of flags.certChain) roots.push(...certificatesFromPem(await readText(path)));
    return { kind: 'certificate-chain', roots };
  }
  if (!flags.identity || !flags.issuer) {
    throw new CliError('BAD_ARGUMENTS', 'keyless verification needs both --identity and --issuer');
  }
  let trustedRoot: unknown;
  if (flags.trustedRoot) {
    try {
      trustedRoot = JSON.parse(await readText(flags.trustedRoot));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        'BAD_ARGUMENTS',
        `--trusted-root ${flags.trustedRoot} is not JSON: ${(error as Error).message}`,
      );
    }
  } else trustedRoot = embeddedTrustedRoot();
  return { kind: 'sigstore', trustedRoot, identity: flags.identity, issuer: flags.issuer };
}
