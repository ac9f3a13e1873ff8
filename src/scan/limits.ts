import type { ScanLimits } from './types.js';

export const defaultLimits: ScanLimits = {
  maxDepth: 10,
  maxDecompressedBytes: 512 * 1024 * 1024,
  maxMembers: 100_000,
  timeoutMs: 120_000,
  maxPickleStack: 1_000_000,
  maxPickleMemo: 10_000_000,
};

export class LimitError extends Error {
  constructor(
    readonly limit: keyof ScanLimits | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}
