/** Errors of the robustness assessment, with stable codes; the CLI turns them into exit code 2. */
export class RobustnessError extends Error {
  constructor(
    readonly code: 'TOO_LARGE' | 'PARSE_ERROR' | 'UNSUPPORTED' | 'MISMATCH' | 'MODEL_ERROR' | 'ENDPOINT_ERROR',
    message: string,
  ) {
    super(message);
    this.name = 'RobustnessError';
  }
}
