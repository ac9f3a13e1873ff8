import { type Command, Option } from 'commander';
import { RegistryClient } from '../http.js';
import type { Setting } from '../settings.js';

/** What a command may touch of the process, passed in so the CLI runs in-process in tests. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
}

export function addSettings(command: Command, settings: Record<string, Setting<unknown>>): void {
  for (const definition of Object.values(settings)) {
    const shownDefault =
      definition.defaultValue === undefined || typeof definition.defaultValue === 'boolean'
        ? ''
        : ` (default: ${definition.defaultValue})`;
    command.addOption(new Option(definition.flag, `${definition.description}${shownDefault} [env ${definition.env}]`));
  }
}

/** Commander's collector for a repeatable option. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The flags of every command that talks to a registry server. */
export interface ServerFlags {
  readonly server: string;
  readonly tokenEnv: string;
}

/** Adds `--server` and `--token-env` to a command that talks to a registry server. */
export function withServer(command: Command, io: Io): Command {
  return command
    .requiredOption('--server <url>', 'the registry server [env MLSECOPS_SERVER]', io.env.MLSECOPS_SERVER)
    .option('--token-env <var>', 'environment variable holding the API token', 'MLSECOPS_TOKEN');
}

/** The HTTP client for a command's `--server` and token. */
export function serverClient(flags: ServerFlags, io: Io): RegistryClient {
  return RegistryClient.fromFlags(flags, io.env);
}

/** A registry version named as `<model>@<version>`, or undefined when `target` is not one. */
export function versionTarget(target: string): { model: string; version: number } | undefined {
  const match = /^([^@\s/]+)@(\d+)$/.exec(target);
  return match ? { model: match[1] ?? '', version: Number(match[2]) } : undefined;
}
