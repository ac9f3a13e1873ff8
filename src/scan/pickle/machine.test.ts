import { describe, expect, it } from 'vitest';
import { BufferSource } from '../io/source.js';
import { PickleMachine } from './machine.js';
import { runPickleStream } from './stream.js';
import { render } from './values.js';

/** Assembles a pickle from text (latin1) and byte arrays. */
function bytes(...parts: Array<string | number[] | Buffer>): Buffer {
  return Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );
}
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const short = (text: string) => bytes('\x8c', [text.length], text);

const limits = { maxStack: 10_000, maxMemo: 10_000, maxLine: 1 << 20, inlineBytes: 1 << 20 };

async function analyse(data: Buffer, overrides: Partial<typeof limits> = {}) {
  const machine = new PickleMachine({ ...limits, ...overrides });
  const end = await runPickleStream(new BufferSource(data), machine, {
    limits: { ...limits, ...overrides },
    maxWindow: 1 << 24,
    checkpoint: () => undefined,
  });
  const imports = [...machine.imports.values()].map((record) => `${record.module}.${record.name}`);
  const calls = [...machine.imports.values()].flatMap((record) => record.calls.map((call) => render(call)));
  return { machine, end, imports, calls };
}

describe('pickle machine', () => {
  const cases: Array<[string, Buffer, string[], string[]]> = [
    ['protocol 0 GLOBAL and REDUCE', bytes("cos\nsystem\n(S'echo hi'\ntR."), ['os.system'], ["os.system('echo hi')"]],
    [
      'protocol 2 GLOBAL with TUPLE1',
      bytes('\x80\x02cposix\nsystem\nX', u32(2), 'id\x85R.'),
      ['posix.system'],
      ["posix.system('id')"],
    ],
    [
      'STACK_GLOBAL from SHORT_BINUNICODE',
      bytes('\x80\x04', short('builtins'), short('eval'), '\x93', short('1+1'), '\x85R.'),
      ['builtins.eval'],
      ["builtins.eval('1+1')"],
    ],
    [
      'STACK_GLOBAL whose names come from the memo (MEMOIZE, BINPUT, LONG_BINGET, BINGET)',
      bytes(
        '\x80\x04',
        short('subprocess'),
        '\x94',
        short('x'),
        'q\x05',
        '0',
        short('check_output'),
        'r',
        u32(9),
        '0',
        'j',
        u32(0),
        'h\x09',
        '\x93',
        ']',
        short('ls'),
        'a\x85R.',
      ),
      ['subprocess.check_output'],
      ["subprocess.check_output(['ls'])"],
    ],
    ['INST', bytes("(S'echo'\nios\nsystem\n."), ['os.system'], ["os.system('echo')"]],
    ['OBJ', bytes('\x80\x02(cos\nsystem\nX', u32(4), 'echoo.'), ['os.system'], ["os.system('echo')"]],
    [
      'NEWOBJ_EX',
      bytes('\x80\x04', short('subprocess'), short('Popen'), '\x93', short('ls'), '\x85}\x92.'),
      ['subprocess.Popen'],
      ["subprocess.Popen('ls')"],
    ],
    ['PUT/GET text memo', bytes("cos\nsystem\np0\n0g0\n(S'x'\ntR."), ['os.system'], ["os.system('x')"]],
    [
      'nested call through getattr',
      bytes(
        '\x80\x02cbuiltins\ngetattr\ncbuiltins\n__import__\nX',
        u32(2),
        'os\x85RX',
        u32(6),
        'system\x86RX',
        u32(2),
        'id\x85R.',
      ),
      ['builtins.getattr', 'builtins.__import__'],
      ["builtins.getattr(builtins.__import__('os'), 'system')", "builtins.__import__('os')"],
    ],
  ];
  it.each(cases)('%s', async (_name, data, imports, calls) => {
    const result = await analyse(data);
    expect(result.end.kind).toBe('complete');
    expect(result.imports).toEqual(imports);
    for (const call of calls) expect(result.calls).toContain(call);
  });

  it('reports imports made before a parse error (broken pickle)', async () => {
    const result = await analyse(bytes("cos\nsystem\n(S'echo'\ntR\xff\xff"));
    expect(result.end).toMatchObject({ kind: 'error', pickles: 0 });
    expect(result.imports).toEqual(['os.system']);
  });

  it('reads every pickle of a concatenated stream', async () => {
    const result = await analyse(bytes('\x80\x02N.', "cos\nsystem\n(S'x'\ntR."));
    expect(result.end).toMatchObject({ kind: 'complete', pickles: 2 });
    expect(result.imports).toEqual(['os.system']);
  });

  it('does not trust FRAME lengths', async () => {
    const frame = (n: number) => bytes('\x95', u32(n), u32(0));
    const result = await analyse(
      bytes('\x80\x04', frame(1_000_000), short('os'), short('system'), '\x93', frame(1), short('id'), '\x85R.'),
    );
    expect(result.imports).toEqual(['os.system']);
    expect(result.machine.oddities.map((o) => o.kind)).toContain('frame');
  });

  it('rejects a declared length larger than the data without allocating it', async () => {
    const result = await analyse(bytes('\x80\x04\x8e', [0, 0, 0, 0, 0, 0, 0, 0x10], 'x'));
    expect(result.end).toMatchObject({ kind: 'error' });
    expect(result.end.kind !== 'complete' && result.end.message).toMatch(/declares \d+ bytes but only 1 remain/);
  });

  it('references large byte strings instead of reading them, and notes embedded pickles', async () => {
    const inner = bytes('\x80\x02cos\nsystem\nX', u32(2), 'id\x85R.');
    const big = Buffer.concat([inner, Buffer.alloc(2048)]);
    const result = await analyse(bytes('\x80\x04cpickle\nloads\nB', u32(big.length), big, '\x85R.'), {
      inlineBytes: 1024,
    });
    expect(result.end.kind).toBe('complete');
    expect(result.machine.embedded).toHaveLength(1);
    expect(result.machine.embedded[0]).toMatchObject({ offset: 21, length: big.length, complete: false });
  });

  it('fails cleanly on a memo index never stored', async () => {
    const result = await analyse(bytes('\x80\x02h\x07.'));
    expect(result.end).toMatchObject({ kind: 'error', message: 'memo has no entry 7' });
  });

  it('keeps hostile sparse memo indices in a map', async () => {
    const result = await analyse(bytes('\x80\x02Nr', u32(0xfffffff0), '0j', u32(0xfffffff0), '.'));
    expect(result.end.kind).toBe('complete');
    expect(result.machine.memo.denseLength).toBe(0);
  });

  it('stops at the stack limit instead of growing without bound', async () => {
    const result = await analyse(Buffer.alloc(100_000, '('.charCodeAt(0)), { maxStack: 5_000 });
    expect(result.end).toMatchObject({ kind: 'limit' });
  });

  it('records extension codes', async () => {
    const result = await analyse(bytes('\x80\x02\x82\x01)R.'));
    expect(result.end.kind).toBe('complete');
    expect(result.machine.oddities[0]).toMatchObject({ kind: 'ext', detail: 'extension code 1' });
  });

  it('rejects protocols above 5', async () => {
    expect((await analyse(bytes('\x80\x06N.'))).end).toMatchObject({
      kind: 'error',
      message: 'unsupported pickle protocol 6',
    });
  });

  it('streams a pickle larger than its window', async () => {
    const items = Buffer.alloc(3 * 300_000);
    for (let i = 0; i < 300_000; i++) items.set([0x4b, i & 0xff, 0x61], i * 3);
    const result = await analyse(bytes('\x80\x02]', items, 'cos\nsystem\n.'));
    expect(result.end.kind).toBe('complete');
    expect(result.imports).toEqual(['os.system']);
  });
});
