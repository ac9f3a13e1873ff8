/** Why an explanation could not run: bad input the caller can fix, each with a stable code. */
export class ExplainError extends Error {
  constructor(
    readonly code: 'CSV_UNREADABLE' | 'CSV_INVALID' | 'COLUMNS_MISMATCH' | 'MODEL_UNREADABLE' | 'BAD_OPTIONS',
    message: string,
  ) {
    super(message);
    this.name = 'ExplainError';
  }
}
