export type Compression = 'gzip' | 'zlib' | 'bz2' | 'xz' | 'lzma' | 'lz4' | 'deflate-raw';

export interface DecompressResult {
  /** What was produced, at most `limit` bytes. */
  readonly data: Buffer;
  /** True when the whole stream decoded within the limit. */
  readonly complete: boolean;
  /** True when output would pass `limit` (a bomb or simply too large). */
  readonly exceeded: boolean;
  /**
   * Corrupt/truncated/unsupported stream: message; `data` holds what decoded before it (for a failed checksum, that
   * includes the block that failed it: readers like Python's hand such bytes on before checking, so they are kept
   * for scanning). Also set, with `complete` false, when data follows the last member where Python would raise.
   */
  readonly error?: string;
}

export interface DecompressOptions {
  /** Checked between input chunks and between large pieces of output; aborting rejects with its reason. */
  readonly signal?: AbortSignal;
}
