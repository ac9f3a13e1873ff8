/** The input is not a valid stream of the expected format (corrupt, truncated, unsupported feature). */
export class CorruptInput extends Error {
  override readonly name = 'CorruptInput';
}

/**
 * Thrown by the output buffer once a decoder tries to write past the limit. It unwinds the decoder from wherever
 * it is, which is what stops a bomb early: nothing after the limit is decoded.
 */
export class LimitExceeded extends Error {
  override readonly name = 'LimitExceeded';
  constructor() {
    super('decompressed output exceeds the limit');
  }
}
