/** Errors that end a command with exit code 2 and a message, never a stack trace. */
export class CliError extends Error {
  constructor(
    readonly code: 'BAD_ARGUMENTS' | 'PATH_NOT_FOUND' | 'PATH_UNREADABLE',
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
