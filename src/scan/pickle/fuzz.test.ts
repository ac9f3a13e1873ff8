import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../io/source.js';
import { PickleMachine } from './machine.js';
import { looksLikePickle } from './scanner.js';
import { runPickleStream } from './stream.js';

const limits = { maxStack: 50_000, maxMemo: 50_000, maxLine: 1 << 16, inlineBytes: 1 << 12 };
const seeds = [
  Buffer.from("cos\nsystem\n(S'echo hi'\ntR.", 'latin1'),
  Buffer.from(
    '\x80\x04\x95\x1e\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x8c\x02id\x85R\x94.',
    'latin1',
  ),
  Buffer.from(
    '\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01K\x02eX\x01\x00\x00\x00bG?\xf0\x00\x00\x00\x00\x00\x00u.',
    'latin1',
  ),
];

async function run(data: Buffer) {
  const machine = new PickleMachine(limits);
  let checks = 0;
  const end = await runPickleStream(new BufferSource(data), machine, {
    limits,
    maxWindow: 1 << 20,
    checkpoint: () => (++checks > 10_000 ? 'too long' : undefined),
  });
  return { end, machine };
}

/** Property-based: whatever the bytes, the machine ends with a result (never a throw, never a hang). */
describe('pickle machine fuzzing', () => {
  it('survives random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (raw) => {
        const { end } = await run(Buffer.from(raw));
        expect(['complete', 'error', 'limit']).toContain(end.kind);
      }),
      { numRuns: 3000 },
    );
  });

  it('survives mutations of real pickles and still finds an untouched import', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(64),
        async (seed, edits, cut) => {
          const data = Buffer.from(seed);
          for (const [at, value] of edits) data[at % data.length] = value;
          const truncated = data.subarray(0, Math.max(1, data.length - cut));
          const { end } = await run(truncated);
          expect(['complete', 'error', 'limit']).toContain(end.kind);
          expect(() => looksLikePickle(truncated, truncated.length)).not.toThrow();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('survives random opcode sequences built from valid opcodes', async () => {
    const opcode = fc.constantFrom(
      ...'()0124aeltsudbhjgqrpNKMJGXUVBCSIFLR}])\x80\x81\x85\x86\x87\x88\x89\x8a\x8c\x8f\x90\x91\x92\x93\x94\x95\x97\x98.'.split(
        '',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(opcode, fc.uint8Array({ maxLength: 6 })), { maxLength: 200 }), async (ops) => {
        const data = Buffer.concat(
          ops.map(([code, arg]) => Buffer.concat([Buffer.from(code, 'latin1'), Buffer.from(arg)])),
        );
        const { end } = await run(data);
        expect(['complete', 'error', 'limit']).toContain(end.kind);
      }),
      { numRuns: 3000 },
    );
  });
});
