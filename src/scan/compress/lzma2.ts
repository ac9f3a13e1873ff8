import { CorruptInput } from './errors.js';
import type { InputReader } from './input.js';
import { LzmaDecoder, parseLzmaProperties } from './lzma-decoder.js';
import type { BoundedOutput } from './output.js';

/** An LZMA2 chunk header is at most 6 bytes; its packed data at most 64 KiB. */
const MAX_CHUNK_INPUT = 6 + 65536;

/**
 * Decodes the LZMA2 data of one xz block, chunk by chunk. A chunk's packed size is at most 64 KiB and known from
 * its header, so each chunk is fetched whole and decoded synchronously. The reset rules are liblzma's.
 */
export async function decodeLzma2(reader: InputReader, out: BoundedOutput): Promise<void> {
  const decoder = new LzmaDecoder(out);
  let needDictReset = true;
  let needProperties = true;
  for (;;) {
    await reader.fill(MAX_CHUNK_INPUT);
    const control = reader.byte();
    if (control === 0x00) return;
    if (control >= 0xe0 || control === 0x01) {
      needProperties = true;
      needDictReset = false;
      decoder.resetDictionary();
    } else if (needDictReset) {
      throw new CorruptInput('xz: LZMA2 data does not start with a dictionary reset');
    }
    if (control < 0x80) {
      if (control > 0x02) throw new CorruptInput(`xz: invalid LZMA2 control byte 0x${control.toString(16)}`);
      const size = ((reader.byte() << 8) | reader.byte()) + 1;
      out.append(reader.take(size));
      continue;
    }
    const unpacked = ((control & 0x1f) << 16) + ((reader.byte() << 8) | reader.byte()) + 1;
    const packed = ((reader.byte() << 8) | reader.byte()) + 1;
    if (control >= 0xc0) {
      const properties = parseLzmaProperties(reader.byte());
      if (properties === null) throw new CorruptInput('xz: invalid LZMA2 properties');
      decoder.setProperties(properties);
      decoder.resetState();
      needProperties = false;
    } else if (needProperties) {
      throw new CorruptInput('xz: LZMA2 chunk without properties');
    } else if (control >= 0xa0) {
      decoder.resetState();
    }
    const data = reader.take(packed);
    decoder.input = data;
    decoder.inPos = 0;
    decoder.inEnd = data.length;
    decoder.initRangeCoder();
    const end = out.length + unpacked;
    if (decoder.decode(end, Number.POSITIVE_INFINITY) !== 'limit') {
      throw new CorruptInput('xz: end marker inside LZMA2 data');
    }
    if (decoder.inPos !== data.length || !decoder.rangeCoderFinished) {
      throw new CorruptInput('xz: LZMA2 chunk size mismatch');
    }
  }
}
