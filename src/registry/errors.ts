/** A registry operation refused: the code maps to an HTTP status, the message says why. */
export class RegistryError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
