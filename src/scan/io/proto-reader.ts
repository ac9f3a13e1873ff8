import type { Source } from './source.js';

/**
 * A bounded protobuf wire-format reader over random-access bytes, shared by the ONNX and TensorFlow
 * scanners. Written by hand because the npm protobuf libraries (protobufjs, google-protobuf,
 * @bufbuild/protobuf) decode a whole message from one in-memory buffer: an ONNX model keeps its weights
 * inline (raw_data) and a frozen GraphDef keeps them in Const tensors, so a 2 GiB model would be read
 * and copied in full. Here every length-delimited field is a byte range: callers descend into the
 * messages that can hold code or paths and skip the rest by length, so tensor bytes are never read.
 */

export const wire = { varint: 0, fixed64: 1, len: 2, fixed32: 5 } as const;

export interface Field {
  readonly num: number;
  readonly wire: number;
  /** Varint or fixed value (above 2^53 it loses precision, which only ever matters for lengths, checked below). */
  readonly value: number;
  /** Where the tag starts, for offsets in findings. */
  readonly at: number;
  /** Payload range of a length-delimited field (start === end for the others). */
  readonly start: number;
  readonly end: number;
}

/** Structural damage: the bytes are not the protobuf they claim to be. */
export class ProtoError extends Error {
  override readonly name = 'ProtoError';
}

const windowSize = 64 * 1024;

export class ProtoReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private fieldsRead = 0;

  constructor(
    readonly source: Source,
    /** Called every few thousand fields so hostile files cannot outrun the time budget. */
    private readonly tick: () => void = () => {},
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** The bytes [start, start+length) if they fit in the window; loads a window at `start` otherwise. */
  private async view(start: number, length: number): Promise<Buffer> {
    const end = start + length;
    if (start < this.windowStart || end > this.windowStart + this.window.length) {
      this.window = await this.source.read(start, Math.max(length, windowSize));
      this.windowStart = start;
    }
    return this.window.subarray(start - this.windowStart, Math.min(end - this.windowStart, this.window.length));
  }

  private async varint(pos: number, end: number): Promise<[value: number, next: number]> {
    const bytes = await this.view(pos, Math.min(10, end - pos));
    let value = 0;
    let scale = 1;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return [value, pos + i + 1];
    }
    throw new ProtoError(`unterminated varint at ${pos}`);
  }

  /** Iterates the fields of the message occupying [start, end). */
  async *fields(start: number, end: number): AsyncGenerator<Field> {
    if (end > this.size || start > end) throw new ProtoError(`message [${start}, ${end}) beyond ${this.size} bytes`);
    let pos = start;
    while (pos < end) {
      if (++this.fieldsRead % 4096 === 0) this.tick();
      const at = pos;
      const [tag, afterTag] = await this.varint(pos, end);
      const num = Math.floor(tag / 8);
      const type = tag % 8;
      if (num < 1 || num > 536_870_911) throw new ProtoError(`field number ${num} at ${at}`);
      pos = afterTag;
      let value = 0;
      let payload = pos;
      if (type === wire.varint) {
        [value, pos] = await this.varint(pos, end);
        payload = pos;
      } else if (type === wire.fixed64 || type === wire.fixed32) {
        const width = type === wire.fixed64 ? 8 : 4;
        if (pos + width > end) throw new ProtoError(`truncated fixed field at ${at}`);
        const bytes = await this.view(pos, width);
        value = width === 4 ? bytes.readUInt32LE(0) : Number(bytes.readBigUInt64LE(0));
        pos += width;
        payload = pos;
      } else if (type === wire.len) {
        const [length, next] = await this.varint(pos, end);
        if (next + length > end) throw new ProtoError(`field ${num} at ${at}: ${length} bytes overrun the message`);
        payload = next;
        pos = next + length;
        value = length;
      } else {
        // Groups (3, 4) are deprecated and unused by ONNX and TensorFlow; 6 and 7 are invalid.
        throw new ProtoError(`wire type ${type} at ${at}`);
      }
      yield { num, wire: type, value, at, start: payload, end: type === wire.len ? pos : payload };
    }
  }

  /** The payload of a length-delimited field, at most `max` bytes (the rest is not read). */
  async bytes(field: Field, max: number): Promise<Buffer> {
    const length = Math.min(field.end - field.start, max);
    return Buffer.from(await this.view(field.start, length));
  }

  async string(field: Field, max = 4096): Promise<string> {
    return (await this.bytes(field, max)).toString('utf8');
  }
}

/** Expects a field of the given wire type; a mismatch means the message is not what it claims. */
export function expectWire(field: Field, type: number, what: string): void {
  if (field.wire !== type)
    throw new ProtoError(`${what} (field ${field.num}) has wire type ${field.wire} at ${field.at}`);
}

/**
 * Synchronous check over a buffer (the 4 KiB head a sniffer gets): the fields of [start, end) as long as
 * they parse, stopping quietly at the end of the buffer. Returns undefined on a structural error.
 */
export function headFields(
  buf: Buffer,
  start = 0,
  end = buf.length,
): Array<Omit<Field, 'value'> & { value: number }> | undefined {
  const out: Array<Field> = [];
  let pos = start;
  const readVarint = (): number | undefined => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < buf.length; i++) {
      const byte = buf[pos++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  while (pos < Math.min(end, buf.length)) {
    const at = pos;
    const tag = readVarint();
    if (tag === undefined) return pos >= buf.length ? out : undefined;
    const num = Math.floor(tag / 8);
    const type = tag % 8;
    if (num < 1) return undefined;
    if (type === wire.varint) {
      const value = readVarint();
      if (value === undefined) return pos >= buf.length ? out : undefined;
      out.push({ num, wire: type, value, at, start: pos, end: pos });
    } else if (type === wire.len) {
      const length = readVarint();
      if (length === undefined) return pos >= buf.length ? out : undefined;
      out.push({ num, wire: type, value: length, at, start: pos, end: pos + length });
      pos += length;
    } else if (type === wire.fixed32 || type === wire.fixed64) {
      pos += type === wire.fixed32 ? 4 : 8;
      out.push({ num, wire: type, value: 0, at, start: pos, end: pos });
    } else {
      return undefined;
    }
    if (pos > end && end < buf.length) return undefined;
  }
  return out;
}
