import { type Command, Option } from 'commander';
import {
  computeManifest,
  DEFAULT_SHARD_SIZE,
  DEFAULT_SIGNATURE,
  ignoreRelativeTo,
  type SerializationOptions,
  serializationFor,
} from '../../integrity/index.js';
import { CliError } from '../errors.js';
import type { Io } from './shared.js';

/** The serialization flags shared by `digest`, `sign` and `verify`, as model_signing spells them. */
export function addSerializationOptions(command: Command): Command {
  return command
    .option('--ignore-paths <paths...>', 'files or folders to leave out (relative to the model, or absolute)')
    .option('--no-ignore-git-paths', 'include .git, .gitattributes, .github and .gitignore')
    .option('--allow-symlinks', 'follow symlinks (their targets are hashed) instead of refusing them', false)
    .option('--signature <file>', 'signature file, left out of the manifest', DEFAULT_SIGNATURE)
    .addOption(new Option('--shards', 'shard serialization: one digest per shard of each file').default(false))
    .option('--shard-size <bytes>', `shard size for --shards (default: ${DEFAULT_SHARD_SIZE})`);
}

export interface SerializationFlags {
  readonly ignorePaths?: string[];
  readonly ignoreGitPaths: boolean;
  readonly allowSymlinks: boolean;
  readonly signature: string;
  readonly shards: boolean;
  readonly shardSize?: string;
}

/** Serialization options from the flags, ignore paths made relative to the model. */
export function serializationFromFlags(model: string, flags: SerializationFlags): SerializationOptions {
  const shardSize = flags.shardSize === undefined ? undefined : Number(flags.shardSize);
  if (shardSize !== undefined && (!Number.isSafeInteger(shardSize) || shardSize <= 0)) {
    throw new CliError('BAD_ARGUMENTS', `--shard-size must be a positive integer, not ${flags.shardSize}`);
  }
  const relativeIgnores = (flags.ignorePaths ?? [])
    .map((path) => (path.startsWith('/') ? ignoreRelativeTo(model, path) : path.replace(/^\.\//, '')))
    .filter((path): path is string => path !== undefined && path !== '');
  const signature = ignoreRelativeTo(
    model,
    flags.signature.startsWith('/') ? flags.signature : `${model}/${flags.signature}`,
  );
  return {
    method: flags.shards ? 'shards' : 'files',
    ...(shardSize === undefined ? {} : { shardSize }),
    allowSymlinks: flags.allowSymlinks,
    ignorePaths: relativeIgnores,
    ignoreGitPaths: flags.ignoreGitPaths,
    signature: signature ?? null,
  };
}

export function registerDigest(program: Command, io: Io): void {
  const command = program
    .command('digest')
    .description('print the model digest (sha256:<root>) exactly as the OpenSSF model signing tool computes it')
    .argument('<model>', 'model folder or file');
  addSerializationOptions(command).option('--json', 'print the whole manifest as JSON', false);
  command.action(async (model: string, flags: SerializationFlags & { json: boolean }) => {
    const manifest = await computeManifest(model, serializationFor(serializationFromFlags(model, flags)));
    if (flags.json) io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    else io.stdout.write(`sha256:${manifest.rootDigest}\n`);
  });
}
