import type { FormatScanner } from '../types.js';

/**
 * Containers the scanner recognises but cannot open (no maintained decoder it can bound). They are
 * reported, never passed as clean: 7z-compressed PyTorch files slipped past scanners this way.
 */
const signatures: ReadonlyArray<readonly [string, Buffer]> = [
  ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
];

export const opaqueScanner: FormatScanner = {
  name: 'opaque-archive',
  version: '1',
  sniff: (head) => signatures.some(([, signature]) => head.subarray(0, signature.length).equals(signature)),
  async scan(ctx, input, head) {
    const kind =
      signatures.find(([, signature]) => head.subarray(0, signature.length).equals(signature))?.[0] ?? 'unknown';
    ctx.format(kind);
    ctx.report(input, {
      ruleId: 'archive.not-inspectable',
      evidence: `${kind} archive of ${input.source.size} bytes: its content cannot be inspected`,
      properties: { container: kind },
    });
    ctx.partial(input, 'NOT_INSPECTABLE', `${kind} archives are not unpacked`);
  },
};
