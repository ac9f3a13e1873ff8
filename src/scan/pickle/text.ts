/** Decoding of the text arguments of protocol-0 opcodes (INT, LONG, FLOAT, STRING, UNICODE, GET/PUT). */

export function parseIntLine(line: string): number | bigint | boolean | undefined {
  if (line === '00') return false;
  if (line === '01') return true;
  return parseLongLine(line);
}

export function parseLongLine(line: string): number | bigint | undefined {
  const text = line.endsWith('L') ? line.slice(0, -1) : line;
  if (!/^[+-]?\d{1,4300}$/.test(text.trim())) return undefined;
  const big = BigInt(text.trim());
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

export function parseMemoIndex(line: string): number | undefined {
  return /^\d{1,15}$/.test(line) ? Number(line) : undefined;
}

/** STRING's argument is a Python repr: quoted, with backslash escapes. */
export function unquoteString(line: string): string | undefined {
  const quote = line[0];
  if (line.length < 2 || (quote !== "'" && quote !== '"') || line[line.length - 1] !== quote) return undefined;
  return unescapeRepr(line.slice(1, -1));
}

/** UNICODE's argument is raw-unicode-escape: only \uXXXX and \UXXXXXXXX are escapes. */
export function decodeRawUnicodeEscape(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, short: string | undefined, long: string | undefined) => {
      const code = Number.parseInt(short ?? long ?? '0', 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    },
  );
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

function unescapeRepr(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs, (_m, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
    return simpleEscapes[esc] ?? `\\${esc}`;
  });
}

/** Little-endian two's-complement integer of LONG1/LONG4. */
export function decodeLong(bytes: Buffer): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  if ((bytes[bytes.length - 1] as number) & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** FLOAT's argument is Python float() text, which also spells infinities and NaN. */
export function parseFloatLine(line: string): number | undefined {
  const text = line.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
