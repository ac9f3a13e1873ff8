import { Hdf5Error, type Hdf5File, maxStructureBytes, readBytes, readNumber } from './hdf5-file.js';

/**
 * The messages of one object header (versions 1 and 2), following continuation blocks. Each chunk is read
 * whole once: real root headers take a few KiB, and the total is capped, as are the number of chunks and
 * messages; a continuation that points back at a chunk already read is skipped, so loops end.
 */
export interface HeaderMessage {
  readonly type: number;
  readonly data: Buffer;
  /** Relative file address of the message data, for evidence. */
  readonly address: number;
}

export const messageType = { datatype: 0x03, attribute: 0x0c, continuation: 0x10, attributeInfo: 0x15 } as const;

const maxChunks = 4096;
const maxMessages = 100_000;
const ohdr = Buffer.from('OHDR');
const ochk = Buffer.from('OCHK');

export async function readObjectHeader(
  file: Hdf5File,
  address: number,
  checkTime: () => void,
): Promise<HeaderMessage[]> {
  const prefix = await readBytes(file, address, 16, 'object header');
  const messages: HeaderMessage[] = [];
  const pending: Array<{ address: number; length: number }> = [];
  const seen = new Set<number>();
  let total = 0;
  let version: 1 | 2;

  if (prefix.subarray(0, 4).equals(ohdr)) {
    version = 2;
    if (prefix[4] !== 2) throw new Hdf5Error(`object header version ${prefix[4]} at ${address}`);
    const flags = prefix[5] as number;
    let at = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeWidth = 1 << (flags & 3);
    const fixed = await readBytes(file, address, at + sizeWidth, 'object header prefix');
    const size = readNumber(fixed, at, sizeWidth);
    at += sizeWidth;
    pending.push({ address: address + at, length: size });
  } else if (prefix[0] === 1) {
    version = 1;
    pending.push({ address: address + 16, length: prefix.readUInt32LE(8) });
  } else {
    throw new Hdf5Error(`no object header at ${address}`);
  }

  for (let chunk = pending.shift(), index = 0; chunk; chunk = pending.shift(), index++) {
    checkTime();
    if (index >= maxChunks) throw new Hdf5Error(`more than ${maxChunks} object header chunks`);
    if (seen.has(chunk.address)) continue;
    seen.add(chunk.address);
    total += chunk.length;
    if (total > maxStructureBytes) throw new Hdf5Error(`object header larger than ${maxStructureBytes} bytes`);
    let bytes = await readBytes(file, chunk.address, chunk.length, 'object header chunk');
    let base = chunk.address;
    // Version 2: chunk 0's size excludes its checksum; a continuation's length covers OCHK and the checksum.
    if (version === 2 && index > 0) {
      if (!bytes.subarray(0, 4).equals(ochk)) throw new Hdf5Error(`continuation block at ${chunk.address} lacks OCHK`);
      bytes = bytes.subarray(4, Math.max(4, bytes.length - 4));
      base += 4;
    }
    for (const message of version === 1 ? v1Messages(bytes, base) : v2Messages(bytes, base, prefix[5] as number)) {
      if (messages.length >= maxMessages) throw new Hdf5Error(`more than ${maxMessages} header messages`);
      messages.push(message);
      if (message.type === messageType.continuation) {
        const at = readNumber(message.data, 0, file.offsetSize);
        const length = readNumber(message.data, file.offsetSize, file.lengthSize);
        pending.push({ address: at, length });
      }
    }
  }
  return messages;
}

function* v1Messages(bytes: Buffer, base: number): Generator<HeaderMessage> {
  for (let at = 0; at + 8 <= bytes.length; ) {
    const type = bytes.readUInt16LE(at);
    const size = bytes.readUInt16LE(at + 2);
    if (at + 8 + size > bytes.length) throw new Hdf5Error(`message at ${base + at} runs past its chunk`);
    yield { type, data: bytes.subarray(at + 8, at + 8 + size), address: base + at + 8 };
    at += 8 + size;
  }
}

function* v2Messages(bytes: Buffer, base: number, flags: number): Generator<HeaderMessage> {
  const headerSize = flags & 0x04 ? 6 : 4;
  // A gap shorter than a message header may end the chunk.
  for (let at = 0; at + headerSize <= bytes.length; ) {
    const type = bytes[at] as number;
    const size = bytes.readUInt16LE(at + 1);
    if (at + headerSize + size > bytes.length) throw new Hdf5Error(`message at ${base + at} runs past its chunk`);
    yield { type, data: bytes.subarray(at + headerSize, at + headerSize + size), address: base + at + headerSize };
    at += headerSize + size;
  }
}
