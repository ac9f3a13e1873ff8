/**
 * Pickle opcodes of protocols 0–5 (facts from CPython's pickletools). `arg` says how the argument is
 * encoded: a fixed number of bytes, a newline-terminated line (`line`, or two lines for GLOBAL/INST),
 * or a length prefix of n bytes followed by that many bytes (`len1`, `len4`, `len8`).
 */
export type ArgKind = 'none' | 'line' | 'line2' | 'u1' | 'u2' | 'i4' | 'u4' | 'u8' | 'f8' | 'len1' | 'len4' | 'len8';

export interface OpcodeInfo {
  readonly name: string;
  readonly code: number;
  readonly arg: ArgKind;
  readonly proto: number;
}

const table = [
  ['MARK', '(', 'none', 0],
  ['STOP', '.', 'none', 0],
  ['POP', '0', 'none', 0],
  ['POP_MARK', '1', 'none', 1],
  ['DUP', '2', 'none', 0],
  ['FLOAT', 'F', 'line', 0],
  ['INT', 'I', 'line', 0],
  ['BININT', 'J', 'i4', 1],
  ['BININT1', 'K', 'u1', 1],
  ['LONG', 'L', 'line', 0],
  ['BININT2', 'M', 'u2', 1],
  ['NONE', 'N', 'none', 0],
  ['PERSID', 'P', 'line', 0],
  ['BINPERSID', 'Q', 'none', 1],
  ['REDUCE', 'R', 'none', 0],
  ['STRING', 'S', 'line', 0],
  ['BINSTRING', 'T', 'len4', 1],
  ['SHORT_BINSTRING', 'U', 'len1', 1],
  ['UNICODE', 'V', 'line', 0],
  ['BINUNICODE', 'X', 'len4', 1],
  ['APPEND', 'a', 'none', 0],
  ['BUILD', 'b', 'none', 0],
  ['GLOBAL', 'c', 'line2', 0],
  ['DICT', 'd', 'none', 0],
  ['EMPTY_DICT', '}', 'none', 1],
  ['APPENDS', 'e', 'none', 1],
  ['GET', 'g', 'line', 0],
  ['BINGET', 'h', 'u1', 1],
  ['INST', 'i', 'line2', 0],
  ['LONG_BINGET', 'j', 'u4', 1],
  ['LIST', 'l', 'none', 0],
  ['EMPTY_LIST', ']', 'none', 1],
  ['OBJ', 'o', 'none', 1],
  ['PUT', 'p', 'line', 0],
  ['BINPUT', 'q', 'u1', 1],
  ['LONG_BINPUT', 'r', 'u4', 1],
  ['SETITEM', 's', 'none', 0],
  ['TUPLE', 't', 'none', 0],
  ['EMPTY_TUPLE', ')', 'none', 1],
  ['SETITEMS', 'u', 'none', 1],
  ['BINFLOAT', 'G', 'f8', 1],
  ['PROTO', '\x80', 'u1', 2],
  ['NEWOBJ', '\x81', 'none', 2],
  ['EXT1', '\x82', 'u1', 2],
  ['EXT2', '\x83', 'u2', 2],
  ['EXT4', '\x84', 'i4', 2],
  ['TUPLE1', '\x85', 'none', 2],
  ['TUPLE2', '\x86', 'none', 2],
  ['TUPLE3', '\x87', 'none', 2],
  ['NEWTRUE', '\x88', 'none', 2],
  ['NEWFALSE', '\x89', 'none', 2],
  ['LONG1', '\x8a', 'len1', 2],
  ['LONG4', '\x8b', 'len4', 2],
  ['BINBYTES', 'B', 'len4', 3],
  ['SHORT_BINBYTES', 'C', 'len1', 3],
  ['SHORT_BINUNICODE', '\x8c', 'len1', 4],
  ['BINUNICODE8', '\x8d', 'len8', 4],
  ['BINBYTES8', '\x8e', 'len8', 4],
  ['EMPTY_SET', '\x8f', 'none', 4],
  ['ADDITEMS', '\x90', 'none', 4],
  ['FROZENSET', '\x91', 'none', 4],
  ['NEWOBJ_EX', '\x92', 'none', 4],
  ['STACK_GLOBAL', '\x93', 'none', 4],
  ['MEMOIZE', '\x94', 'none', 4],
  ['FRAME', '\x95', 'u8', 4],
  ['BYTEARRAY8', '\x96', 'len8', 5],
  ['NEXT_BUFFER', '\x97', 'none', 5],
  ['READONLY_BUFFER', '\x98', 'none', 5],
] as const satisfies ReadonlyArray<readonly [string, string, ArgKind, number]>;

/** Opcode info by byte value; undefined for bytes that are not opcodes. */
export const opcodes: ReadonlyArray<OpcodeInfo | undefined> = (() => {
  const byCode: Array<OpcodeInfo | undefined> = new Array(256).fill(undefined);
  for (const [name, char, arg, proto] of table) {
    const code = char.charCodeAt(0);
    byCode[code] = { name, code, arg, proto };
  }
  return byCode;
})();

export const op = Object.fromEntries(table.map(([name, char]) => [name, char.charCodeAt(0)])) as Record<
  (typeof table)[number][0],
  number
>;

export const highestProtocol = 5;
