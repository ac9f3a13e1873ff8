import { type Command, Option } from 'commander';
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
